/**
 * ansible.utils' hwaddr and macaddr: a hardware address read as netaddr's EUI reads it (its
 * EUI-48 and EUI-64 text forms, else a decimal number) and written in one of its dialects.
 * Held to the collection by test/template/hwaddr.test.ts.
 */
import { FilterError } from './filter-error.ts';

const hex = (n: number) => `[0-9A-F]{${n}}`;
const groups = (count: number, digits: string, sep: string) =>
  new RegExp(`^${Array.from({ length: count }, () => `(${digits})`).join(sep)}$`, 'i');

/** netaddr's EUI-48 forms: groups of hex digits, each worth its share of the 48 bits. */
const EUI48: Array<[RegExp, number]> = [
  [groups(6, '[0-9A-F]{1,2}', ':'), 8],
  [groups(6, '[0-9A-F]{1,2}', '-'), 8],
  [groups(3, '[0-9A-F]{1,4}', ':'), 16],
  [groups(3, '[0-9A-F]{1,4}', '-'), 16],
  [groups(3, '[0-9A-F]{1,4}', '\\.'), 16],
  [groups(2, '[0-9A-F]{5,6}', '-'), 24],
  [groups(2, '[0-9A-F]{5,6}', ':'), 24],
  [new RegExp(`^(${hex(12)})$`, 'i'), 48],
  [new RegExp(`^(${hex(11)})$`, 'i'), 48],
];
const EUI64: Array<[RegExp, number]> = [
  [groups(8, '[0-9A-F]{1,2}', ':'), 8],
  [groups(8, '[0-9A-F]{1,2}', '-'), 8],
  [groups(4, '[0-9A-F]{1,4}', ':'), 16],
  [groups(4, '[0-9A-F]{1,4}', '-'), 16],
  [groups(4, '[0-9A-F]{1,4}', '\\.'), 16],
  [new RegExp(`^(${hex(16)})$`, 'i'), 64],
  [new RegExp(`^(${hex(15)})$`, 'i'), 64],
];

function parse(text: string, forms: Array<[RegExp, number]>): bigint | undefined {
  for (const [re, bits] of forms) {
    const m = re.exec(text);
    if (m) return m.slice(1).reduce((acc, g) => (acc << BigInt(bits)) | BigInt(`0x${g}`), 0n);
  }
  return undefined;
}

/** The address and its width, or undefined where netaddr's EUI refuses the value. */
function eui(value: unknown): { value: bigint; bits: 48 | 64 } | undefined {
  // the collection's argument spec takes the value as text (an integer is its decimal digits)
  const text = String(value);
  const v48 = parse(text, EUI48);
  if (v48 !== undefined) return { value: v48, bits: 48 };
  const v64 = parse(text, EUI64);
  if (v64 !== undefined) return { value: v64, bits: 64 };
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    if (n < 1n << 48n) return { value: n, bits: 48 };
    if (n < 1n << 64n) return { value: n, bits: 64 };
  }
  return undefined;
}

const octets = (v: bigint, n = 6) =>
  Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
const h2 = (x: number) => x.toString(16).padStart(2, '0');

const pgsql = (v: bigint) =>
  v
    .toString(16)
    .padStart(12, '0')
    .replace(/^(.{6})/, '$1:');
const eui48 = (v: bigint) => octets(v).map(h2).join('-').toUpperCase();

/** netaddr's MAC dialects, by the filter's query names (some under several). */
const DIALECTS: Record<string, (v: bigint) => string> = {
  bare: (v) => octets(v).map(h2).join('').toUpperCase(),
  cisco: (v) => v.toString(16).padStart(12, '0').match(/.{4}/g)!.join('.'),
  eui48,
  win: eui48,
  linux: (v) => octets(v).map(h2).join(':'),
  pgsql,
  postgresql: pgsql,
  psql: pgsql,
  unix: (v) =>
    octets(v)
      .map((o) => o.toString(16))
      .join(':'),
};

export function hwaddr(value: unknown, query: unknown = '', alias = 'hwaddr'): unknown {
  const q = String(query ?? '');
  const v = eui(value);
  if (!v && q && q !== 'bool') throw new FilterError(`${alias}: not a hardware address: ${String(value)}`);
  if (q === '') return v ? value : null;
  if (q === 'bool') return v ? true : null;
  if (!v) return null;
  if (q === 'int') {
    if (v.value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new FilterError(`${alias}: ${v.value} is past what quorum computes exactly`);
    return Number(v.value);
  }
  const dialect = Object.hasOwn(DIALECTS, q) ? DIALECTS[q] : undefined;
  if (!dialect) throw new FilterError(`${alias}: unknown filter type: ${q}`);
  // a MAC dialect of a 64-bit address: netaddr refuses the integer
  if (v.bits === 64) throw new FilterError(`integer out of bounds: '0x${v.value.toString(16)}'`);
  return dialect(v.value);
}

export const HWADDR_FILTERS: Record<string, (v: unknown, ...a: unknown[]) => unknown> = {
  hwaddr: (v, q) => hwaddr(v, q),
  macaddr: (v, q) => hwaddr(v, q, 'macaddr'),
};
