/**
 * community.general's list filters (ansible 12.0.0's collection): lists_union, lists_intersect,
 * lists_difference, lists_symmetric_difference (plugins/filter/lists.py), accumulate
 * (itertools.accumulate) and crc32 (zlib's, as hex). Items compare as Python's `==` does: 1, 1.0
 * and True are one item, dicts whatever their key order.
 */
import { asSequence, isDict, kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { pyClassName, pyRepr, pyTypeName } from './values.ts';

/** Python's `==` between two template values. */
function pyEq(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  if (typeof num(a) === 'number' && typeof num(b) === 'number') return num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && pyEq(a[k], b[k]));
  }
  return a === b;
}

const within = (list: unknown[], x: unknown) => list.some((y) => pyEq(x, y));

/** remove_duplicates: the first of equal items, in order. */
function distinct(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of list) if (!within(out, x)) out.push(x);
  return out;
}

/** lists.py's flatten_list: the arguments' lists, a list of lists taken apart. */
function flattenLists(args: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const sub of args) {
    if (!Array.isArray(sub))
      throw new FilterError(`All arguments must be lists. ${pyRepr(sub)} is ${pyClassName(sub)}`);
    if (sub.length === 0) continue;
    if (sub.every(Array.isArray)) out.push(...sub);
    else out.push(sub);
  }
  return out;
}

/** Python's iteration of a value: a list's items, a text's characters, a dict's keys. */
function pyIter(v: unknown): unknown[] {
  if (isDict(v)) return Object.keys(v);
  const items = asSequence(v);
  if (!items) throw new FilterError(`'${pyTypeName(v)}' object is not iterable`);
  return items;
}

/** Python's `a + b` for the lists (or texts) lists.py concatenates. */
function concat(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) || typeof a === 'string') {
    const t = Array.isArray(a) ? 'list' : 'str';
    throw new FilterError(`can only concatenate ${t} (not "${pyTypeName(b)}") to ${t}`);
  }
  return plus(a, b);
}

type Pairwise = (a: unknown, b: unknown) => unknown;

function listsFilter(
  first: (a: unknown) => unknown,
  step: Pairwise,
  last: (a: unknown) => unknown = (a) => a,
) {
  return (value: unknown, ...rest: unknown[]) => {
    const kw = kwargs(rest, ['flatten']);
    let lists = [value, ...rest];
    if (kw.flatten === true) lists = flattenLists(lists);
    if (lists.length === 0) return [];
    if (lists.length === 1) return lists[0];
    return last(lists.slice(1).reduce(step, first(lists[0])));
  };
}

const dedupe = (a: unknown) => distinct(pyIter(a));
const intersect: Pairwise = (a, b) => {
  const other = pyIter(b);
  return pyIter(a).filter((x) => within(other, x));
};
const difference: Pairwise = (a, b) => {
  const other = pyIter(b);
  return pyIter(a).filter((x) => !within(other, x));
};
const symmetric: Pairwise = (a, b) => {
  const both = intersect(dedupe(a), b) as unknown[];
  return distinct(pyIter(concat(a, b))).filter((x) => !within(both, x));
};

/** itertools.accumulate over a sequence: running sums, concatenations of texts or lists. */
function accumulate(value: unknown): unknown[] {
  const items = asSequence(value);
  if (!items)
    throw new FilterError(`Invalid value type (${pyClassName(value)}) for accumulate (${pyRepr(value)})`);
  const out: unknown[] = [];
  for (const item of items) {
    if (out.length === 0) {
      out.push(item);
      continue;
    }
    const last = out[out.length - 1];
    out.push(plus(last, item));
  }
  return out;
}

/** Python's `+` where accumulate meets it: numbers, texts, lists; anything else is a TypeError. */
function plus(a: unknown, b: unknown): unknown {
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
  if (typeof num(a) === 'number' && typeof num(b) === 'number')
    return (num(a) as number) + (num(b) as number);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  throw new FilterError(`unsupported operand type(s) for +: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(value: unknown): string {
  if (typeof value !== 'string')
    throw new FilterError(`Invalid value type (${pyClassName(value)}) for crc32 (${pyRepr(value)})`);
  let c = 0xffffffff;
  for (const byte of Buffer.from(value, 'utf8')) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return ((c ^ 0xffffffff) >>> 0).toString(16);
}

export const GENERAL_LIST_FILTERS: Record<string, (value: unknown, ...args: unknown[]) => unknown> = {
  lists_union: listsFilter((a) => a, concat, dedupe),
  lists_intersect: listsFilter(dedupe, intersect),
  lists_difference: listsFilter(dedupe, difference),
  lists_symmetric_difference: listsFilter((a) => a, symmetric),
  accumulate,
  crc32,
};
