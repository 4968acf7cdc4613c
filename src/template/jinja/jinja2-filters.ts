/**
 * Jinja2's own filters where the engine's differ from Jinja2 3.1 (as ansible-core runs it):
 * `int` takes `default` and `base`, `truncate` its `leeway` and Jinja2's word rule, and
 * `format` is Python's `%`; plus the filters py-format-edits.ts rewrites Python's string
 * formatting to.
 */

import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { formatFilter, percentFormat, strFormat } from './py-format.ts';
import { unpackItem } from './set-unpack.ts';
import { pyStr, pyTypeName } from './values.ts';

type Filter = (v: unknown, ...args: unknown[]) => unknown;

/** Python's int(text, base): sign, underscores between digits, a prefix matching the base. */
function pyIntText(text: string, base: number): number | undefined {
  const m = /^\s*([-+]?)(0[xX]|0[oO]|0[bB])?([0-9a-zA-Z]+(?:_[0-9a-zA-Z]+)*)\s*$/.exec(text);
  if (!m || base < 2 || base > 36) return undefined;
  const prefix = m[2]?.toLowerCase();
  if (prefix && prefix !== { 16: '0x', 8: '0o', 2: '0b' }[base]) return undefined;
  const digits = m[3].replaceAll('_', '').toLowerCase();
  const valid = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (![...digits].every((c) => valid.includes(c))) return undefined;
  // base 10: no leading zeros in Python ("010" is an error there; int() accepts it, though)
  const n = Number.parseInt(digits, base);
  return m[1] === '-' ? -n : n;
}

/** Python's float(text), as int() falls back to it ("42.23" | int is 42). */
function pyFloatText(text: string): number | undefined {
  const t = text.trim().replaceAll(/(?<=\d)_(?=\d)/g, '');
  if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[-+]?nan$/i.test(t)) return Number.NaN;
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : undefined;
}

/** Jinja2's do_int: int(value, base) for text, int(value) else, then int(float(value)), then default. */
function toInt(v: unknown, ...args: unknown[]): unknown {
  const kw = kwargs(args, ['default', 'base']);
  const fallback = kw.default ?? args[0] ?? 0;
  const base = Number(kw.base ?? args[1] ?? 10);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === 'bigint') return v;
  if (typeof v !== 'string') return fallback;
  const n = pyIntText(v, base);
  if (n !== undefined) return n;
  const f = pyFloatText(v);
  if (f === undefined || Number.isNaN(f)) return fallback;
  if (!Number.isFinite(f)) throw new FilterError('cannot convert float infinity to integer');
  return Math.trunc(f);
}

/** Jinja2's do_truncate (leeway 5: its default policy). */
function truncate(v: unknown, ...args: unknown[]): string {
  const kw = kwargs(args, ['length', 'killwords', 'end', 'leeway']);
  const s = pyStr(v);
  const length = Number(kw.length ?? args[0] ?? 255);
  const killwords = Boolean(kw.killwords ?? args[1] ?? false);
  const end = String(kw.end ?? args[2] ?? '...');
  const leeway = Number(kw.leeway ?? args[3] ?? 5);
  if (length < end.length) throw new FilterError(`expected length >= ${end.length}, got ${length}`);
  if (leeway < 0) throw new FilterError(`expected leeway >= 0, got ${leeway}`);
  if ([...s].length <= length + leeway) return s;
  const head = [...s].slice(0, length - end.length).join('');
  if (killwords) return head + end;
  const space = head.lastIndexOf(' ');
  return (space < 0 ? head : head.slice(0, space)) + end;
}

/** An item's `attribute` (`a.b`, or a list index), as Jinja2's join and map take it. */
export function attributeOf(item: unknown, path: unknown): unknown {
  let v = item;
  for (const part of String(path).split('.')) {
    const key = Array.isArray(v) && /^-?\d+$/.test(part) ? Number(part) : part;
    if (v === null || typeof v !== 'object' || !(key in (v as object)))
      throw new FilterError(`'${pyStr(item).slice(0, 60)}' has no attribute '${part}'`);
    v = (v as Record<string | number, unknown>)[key];
  }
  return v;
}

/**
 * Jinja2's join: each item as Python's str() prints it (True, None, {'a': 1}), where the
 * engine's own writes true and none.
 */
function join(v: unknown, ...args: unknown[]): string {
  const kw = kwargs(args, ['d', 'attribute']);
  const sep = pyStr(kw.d ?? args[0] ?? '');
  const attribute = kw.attribute ?? args[1];
  let items: unknown[];
  if (typeof v === 'string') items = [...v];
  else if (Array.isArray(v)) items = v;
  else if (v !== null && typeof v === 'object') items = Object.keys(v);
  else throw new FilterError(`'${pyTypeName(v)}' object is not iterable`);
  if (attribute !== undefined && attribute !== null) items = items.map((i) => attributeOf(i, attribute));
  return items.map(pyStr).join(sep);
}

export const JINJA2_FILTERS: Record<string, Filter> = {
  int: toInt,
  join,
  truncate,
  format: (v, ...args) => {
    const kw =
      args.length === 1 && args[0] !== null && typeof args[0] === 'object' && !Array.isArray(args[0]);
    return formatFilter(v, args, kw ? (args[0] as Record<string, unknown>) : undefined);
  },
  __quorum_unpack_item: unpackItem,
  __quorum_pyformat: (v, value, tuple) => percentFormat(String(v), value, tuple === true),
  __quorum_strformat: (v, positional, keywords) =>
    strFormat(v, (positional as unknown[]) ?? [], (keywords as Record<string, unknown>) ?? {}),
};
