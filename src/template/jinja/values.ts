/**
 * Values across the WASM boundary, and their text as Python (and so Ansible) prints them.
 * minijinja hands JS callbacks Maps for dicts, BigInt for integers and undefined for none.
 */

import { isUnknown, UNKNOWN_SENTINEL } from '../unknown.ts';
import { isUnsafe } from '../unsafe.ts';
import { rememberOrder, reordered } from './dict-order.ts';

/** From the engine: plain objects, numbers and null. */
export function fromEngine(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[String(k)] = fromEngine(x);
    return reordered(out);
  }
  if (Array.isArray(v)) return v.map(fromEngine);
  return v;
}

/**
 * Into the engine: values known after apply become a marker string that survives rendering; the
 * key order of each dict is kept for its way back (dict-order.ts).
 */
export function toEngine(v: unknown): unknown {
  if (isUnknown(v)) return UNKNOWN_SENTINEL;
  if (isUnsafe(v)) return v.text;
  if (Array.isArray(v)) return v.map(toEngine);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toEngine(x);
    rememberOrder(Object.keys(out), out);
    return out;
  }
  return v;
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

function reprNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return pyFloatRepr(n);
}

/**
 * Python's repr() of a float: the shortest digits that read back (as JavaScript's), in fixed
 * notation for exponents -4 to 15 and with `e+XX` outside them (JavaScript switches at -7 and 21).
 */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = n.toExponential().split('e');
  const e = Number(exp);
  const sign = n < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const whole = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${whole}.${frac || '0'}`;
}

/** Python's repr(), as a value looks inside a printed list or dict. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return reprNumber(v);
  if (typeof v === 'string') return reprString(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${reprString(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return String(v);
}

/** Python's name of a value's type (`str`, `int`, `NoneType` ...), as Python's messages give it. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return Array.isArray(v) ? 'list' : 'dict';
}

/**
 * `type(v)` printed, as a filter's message in ansible-core 2.19 shows it: a dict or list from a
 * template is one of its lazy containers there.
 */
export function pyClassName(v: unknown): string {
  const lazy = "<class 'ansible._internal._templating._lazy_containers._AnsibleLazyTemplate";
  if (Array.isArray(v)) return `${lazy}List'>`;
  if (v !== null && typeof v === 'object') return `${lazy}Dict'>`;
  return `<class '${pyTypeName(v)}'>`;
}

/** Python's truth of a value: None, False, 0, '' and empty collections are false. */
export function pyTruth(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Python's str(), as `{{ value }}` prints it. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
