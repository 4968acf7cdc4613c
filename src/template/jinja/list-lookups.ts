/**
 * The lookups that make a list of their terms, as ansible-core 2.19's plugins make it (items,
 * list, dict, indexed_items, nested, together, subelements, sequence, and community.general's
 * cartesian), shared by `lookup()`/`query()` and the `with_<name>` loops: a loop's terms are its
 * value, a list as it is and anything else as a list of one (2.19's task_executor).
 */

import { splitKeyValues } from '../../playbook/free-form.ts';
import { isUnknown } from '../unknown.ts';
import { FilterError } from './filter-error.ts';
import { ansibleBoolean, pyInteger } from './lookup-options.ts';
import { percentFormat } from './py-format.ts';
import { pyRepr, pyStr, pyTypeName } from './values.ts';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/** LookupBase._flatten: lists in the terms give their items, other terms themselves. */
const flatten1 = (terms: unknown[]): unknown[] => terms.flatMap((t) => (Array.isArray(t) ? t : [t]));

/** What Python's iter() walks: a list's items, a string's characters, a dict's keys. */
function iterate(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  throw new FilterError(`'${pyTypeName(v)}' object is not iterable`);
}

/** nested: LookupBase._combine, list by list, each combination flattened one level. */
function nested(terms: unknown[]): unknown[] {
  if (terms.length === 0)
    throw new FilterError('with_nested requires at least one element in the nested list');
  let result: unknown[] = iterate(terms[0]);
  for (const next of terms.slice(1)) {
    const b = iterate(next);
    result = result.flatMap((x) => b.map((y) => flatten1([x, y])));
  }
  return result.map((x) => flatten1(iterate(x)));
}

/** community.general's cartesian: the product of the terms (a string or scalar a list of one). */
function cartesian(terms: unknown[]): unknown[] {
  if (terms.length === 0) throw new FilterError('with_cartesian requires at least one element in each list');
  const lists = terms.map((t) =>
    typeof t === 'string' ? [t.trim()] : Array.isArray(t) || isDict(t) ? iterate(t) : [t],
  );
  return cartesianProduct(lists).map(flatten1);
}

/** Python's itertools.product: every combination, one item from each list in order. */
export function cartesianProduct(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

/** together: Python's zip_longest of the terms (None for the missing), each flattened one level. */
function together(terms: unknown[]): unknown[] {
  if (terms.length === 0) throw new FilterError('with_together requires at least one element in each list');
  const lists = terms.map(iterate);
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => flatten1(lists.map((l) => (i < l.length ? l[i] : null))));
}

function dictItems(terms: unknown[]): unknown[] {
  return terms.flatMap((term) => {
    if (!isDict(term))
      throw new FilterError(
        `the 'dict' lookup plugin expects a dictionary, got '${pyStr(term)}' of type <class '${pyTypeName(term)}'>)`,
      );
    return Object.entries(term).map(([key, value]) => ({ key, value }));
  });
}

const SUBELEMENT_FLAGS = ['skip_missing'];

/**
 * subelements: [element without the sub-key, sub-item] for every item of each element's list at a
 * dotted key; the element's own copy loses the key, as the plugin pops it. `skipped` elements
 * (a registered loop's skips) are passed over.
 */
function subelements(terms: unknown[]): unknown[] {
  const bad = (msg = ''): never => {
    throw new FilterError(`subelements lookup expects a list of two or three items, ${msg}`);
  };
  if (terms.length < 2 || terms.length > 3) bad();
  const [source, path, flags = {}] = terms;
  if (!(Array.isArray(source) || isDict(source)) || typeof path !== 'string')
    bad('first a dict or a list, second a string pointing to the subkey');
  if (!isDict(flags) || Object.keys(flags).some((k) => !SUBELEMENT_FLAGS.includes(k)))
    bad(`the optional third item must be a dict with flags ${pyRepr(SUBELEMENT_FLAGS)}`);
  const keys = (path as string).split('.');
  if (isDict(source) && source.skipped !== undefined && source.skipped !== false) return [];
  const elements = Array.isArray(source) ? source : Object.values(source as Dict);
  const skipMissing = ansibleBoolean((flags as Dict).skip_missing);
  const out: unknown[] = [];
  for (const element of elements) {
    if (!isDict(element))
      throw new FilterError(`subelements lookup expects a dictionary, got '${pyStr(element)}'`);
    if (element.skipped !== undefined && element.skipped !== false) continue;
    // a check run's registered output, known after apply: so are the loop's items
    const unknownAt = keys.reduce<unknown>((v, k) => (isDict(v) && !isUnknown(v) ? v[k] : v), element);
    if (isUnknown(unknownAt)) return unknownAt as never;
    const copy = structuredClone(element);
    let value: Dict = copy;
    let list: unknown[] = [];
    for (const [i, key] of keys.entries()) {
      if (!(key in value)) {
        if (skipMissing) continue;
        throw new FilterError(`could not find '${key}' key in iterated item '${pyRepr(value)}'`);
      }
      const found = value[key];
      if (i < keys.length - 1) {
        if (!isDict(found)) {
          if (skipMissing) continue;
          throw new FilterError(`the key ${key} should point to a dictionary, got '${pyStr(found)}'`);
        }
        value = found;
      } else {
        if (!Array.isArray(found))
          throw new FilterError(`the key ${key} should point to a list, got '${pyStr(found)}'`);
        list = found;
        delete value[key];
      }
    }
    for (const item of list) out.push([copy, item]);
  }
  return out;
}

/** The list lookups by name; each takes the plugin's terms and keyword arguments. */
export const LIST_LOOKUPS: Record<string, (terms: unknown[], kwargs: Dict) => unknown[]> = {
  sequence,
  items: flatten1,
  list: (terms) => terms,
  dict: dictItems,
  indexed_items: (terms) => flatten1(terms).map((x, i) => [i, x]),
  nested,
  cartesian,
  together,
  subelements,
};

/** A loop's value as a with_<name> loop hands it to the lookup. */
export const loopTerms = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

const SEQUENCE_FIELDS = ['start', 'end', 'stride', 'count', 'format'];
const SHORTCUT = /^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(\/(0?x?[0-9a-f]+))?(:(.+))?$/i;
const MAX_ITEMS = 100_000;

/**
 * ansible-core 2.19's sequence lookup, term by term: `[start-]end[/stride][:format]` or
 * `start= end= count= stride= format=` (keyword arguments as defaults for every term). Items are
 * text; hex and octal are refused as 2.19's integer options refuse them (its documentation says
 * otherwise), and `count` counts as 2.19 counts (end = start + count * stride - 1).
 */
function sequence(terms: unknown[], kwargs: Dict): string[] {
  const out: string[] = [];
  for (const term of terms.length === 0 && Object.keys(kwargs).length ? [''] : terms) {
    const o: Dict = { start: 1, stride: 1, format: '%d', ...kwargs };
    const text = String(term);
    const short = SHORTCUT.exec(text);
    if (short) {
      if (short[2] !== undefined) o.start = short[2];
      o.end = short[3];
      if (short[5] !== undefined) o.stride = short[5];
      if (short[7] !== undefined) o.format = short[7];
    } else {
      const kv = text.trim() === '' ? {} : splitKeyValues(text);
      const unknown = kv ? Object.keys(kv).filter((k) => !SEQUENCE_FIELDS.includes(k)) : ['_raw_params'];
      if (unknown.length)
        throw new FilterError(`unrecognized arguments to with_sequence: ${pyRepr(unknown)}`);
      Object.assign(o, kv);
    }
    const start = pyInteger('start', o.start, 'sequence', 'integer');
    const stride = pyInteger('stride', o.stride, 'sequence', 'integer');
    let end = o.end === undefined ? undefined : pyInteger('end', o.end, 'sequence', 'integer');
    const count = o.count === undefined ? undefined : pyInteger('count', o.count, 'sequence', 'integer');
    const format = String(o.format);
    if (count === undefined && end === undefined)
      throw new FilterError('must specify count or end in with_sequence');
    if (count !== undefined && end !== undefined)
      throw new FilterError("can't specify both count and end in with_sequence");
    if (count === 0) continue;
    if (count !== undefined) end = start + count * stride - 1;
    const last = end as number;
    if (stride > 0 && last < start) throw new FilterError('to count backwards make stride negative');
    if (stride < 0 && last > start) throw new FilterError("to count forward don't make stride negative");
    if (stride === 0) continue;
    if (format.split('%').length !== 2) throw new FilterError(`bad formatting string: ${format}`);
    // Python's range(start, end + 1, stride) (end - 1 counting down)
    const stop = last + (stride >= 0 ? 1 : -1);
    for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) {
      try {
        out.push(percentFormat(format, i, false));
      } catch {
        throw new FilterError(`problem formatting ${i} with ${pyRepr(format)}`);
      }
      if (out.length > MAX_ITEMS) throw new FilterError(`with_sequence: more than ${MAX_ITEMS} items`);
    }
  }
  return out;
}
