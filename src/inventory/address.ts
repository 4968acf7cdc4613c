/**
 * Ansible's host-address grammar: `host:port`, `[v6]:port`, IPv4/IPv6/hostnames that may
 * carry `[a:b(:step)]` ranges, and the range expansion itself (`w[01:03]` -> w01 w02 w03).
 */
import { InputError } from '../errors.ts';

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const V6 = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const V4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w with re.UNICODE: letters, digits and underscore of any script
const W = String.raw`[\p{L}\p{N}_]`;
const LABEL = String.raw`(?:${W}|${ALNUM_RANGE})(?:[\p{L}\p{N}_\-]|${ALNUM_RANGE})*(?<![_\-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
export const IPV4 = new RegExp(String.raw`^(?:${V4}\.){3}${V4}$`, 'i');
export const IPV6 = new RegExp(
  String.raw`^(?:(?:${V6}:){7}${V6}|(?:${V6}:){1,6}:|(?:${V6}:)(?::${V6}){1,6}|(?:${V6}:){2}(?::${V6}){1,5}|(?:${V6}:){3}(?::${V6}){1,4}|(?:${V6}:){4}(?::${V6}){1,3}|(?:${V6}:){5}(?::${V6}){1,2}|(?:${V6}:){6}(?::${V6})|:(?::${V6}){1,6}|${V6}?::|(?:0:){6}(?:${V6}\.){3}${V6}|::(?:ffff:)?(?:${V6}\.){3}${V6}|(?:0:){5}ffff:(?:${V6}\.){3}${V6})$`,
  'i',
);
export const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
// HOSTNAME for plain ASCII without ranges, the usual case: V8 compiles HOSTNAME's Unicode
// classes case-insensitively on first use, ~8 ms of every run
const ASCII_LABEL = String.raw`[A-Za-z0-9_][A-Za-z0-9_\-]*(?<![_\-])`;
const ASCII_HOSTNAME = new RegExp(String.raw`^${ASCII_LABEL}(?:\.${ASCII_LABEL})*$`);
const PLAIN_ASCII = /^[\x20-\x5a\x5c\x5e-\x7e]*$/; // printable ASCII but [ and ]

/** HOSTNAME.test, the same answer sooner for plain ASCII. */
export function isHostname(s: string): boolean {
  return PLAIN_ASCII.test(s) ? ASCII_HOSTNAME.test(s) : HOSTNAME.test(s);
}

export interface ParsedAddress {
  host: string;
  port?: number;
}

/** `parse_address(address, allow_ranges=True)`; undefined where Ansible raises. */
export function parseAddress(address: string): ParsedAddress | undefined {
  let rest = address;
  let port: number | undefined;
  // Ansible tries both forms in turn, the second on what the first left
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(rest);
    if (m) {
      rest = m[1];
      port = Number(m[2]);
    }
  }
  if (isHostname(rest) || IPV4.test(rest) || IPV6.test(rest)) return { host: rest, port };
  return undefined;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Hosts one inventory line may stand for; `h[1:999999999]` is refused before it is expanded. */
export const MAX_HOSTS_PER_LINE = 100_000;

/** Expand every `[beg:end(:step)]` in a host name, left to right; at most `budget` names. */
export function expandHostRange(name: string, budget = MAX_HOSTS_PER_LINE, whole = name): string[] {
  if (!name.includes('[')) return [name];
  const open = name.indexOf('[');
  const close = name.indexOf(']');
  const parts = name.replace('[', '|').replace(']', '|').split('|');
  if (parts.length !== 3 || close < open)
    throw new InputError('INVENTORY_RANGE', `bad host range in "${name}"`);
  const [head, range, tail] = parts;
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new InputError(
      'INVENTORY_RANGE',
      `host range must be begin:end or begin:end:step, got "[${range}]"`,
    );
  }
  const beg = bounds[0] || '0';
  const end = bounds[1];
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new InputError('INVENTORY_RANGE', `host range must specify end value in "${name}"`);
  if (!Number.isInteger(step) || step <= 0) {
    throw new InputError('INVENTORY_RANGE', `host range step must be a positive integer in "${name}"`);
  }
  let fill = (n: number | string) => String(n);
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) {
      throw new InputError(
        'INVENTORY_RANGE',
        `host range must specify equal-length begin and end formats in "${name}"`,
      );
    }
    fill = (n) => String(n).padStart(beg.length, '0');
  }
  let seq: Array<string | number>;
  const iBeg = LETTERS.indexOf(beg);
  const iEnd = LETTERS.indexOf(end);
  if (beg.length === 1 && end.length === 1 && iBeg >= 0 && iEnd >= 0) {
    if (iBeg > iEnd)
      throw new InputError('INVENTORY_RANGE', `host range must have begin <= end in "${name}"`);
    seq = [];
    for (let i = iBeg; i <= iEnd; i += step) seq.push(LETTERS[i]);
    refuseOverBudget(whole, seq.length, budget);
  } else {
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) {
      throw new InputError(
        'INVENTORY_RANGE',
        `host range bounds must be numbers or single letters in "${name}"`,
      );
    }
    refuseOverBudget(whole, Math.floor((Number(end) - Number(beg)) / step) + 1, budget);
    seq = [];
    for (let i = Number(beg); i <= Number(end); i += step) seq.push(i);
  }
  const inner = Math.floor(budget / Math.max(seq.length, 1));
  return seq.flatMap((v) => expandHostRange(`${head}${fill(v)}${tail}`, inner, whole));
}

function refuseOverBudget(name: string, count: number, budget: number) {
  if (count <= budget) return;
  throw new InputError(
    'INVENTORY_RANGE',
    `host range "${name}" stands for more than ${MAX_HOSTS_PER_LINE.toLocaleString('en')} hosts, quorum's limit for one inventory line`,
    undefined,
    'split it over several lines if you really have that many hosts',
  );
}

/** `_expand_hostpattern`: a host entry (maybe with port and ranges) to host names. */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  const parsed = parseAddress(pattern);
  const base = parsed?.host ?? pattern;
  return { hosts: base.includes('[') ? expandHostRange(base) : [base], port: parsed?.port };
}
