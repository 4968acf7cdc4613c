/**
 * ansible-core's merge_hash (utils/vars.py), what combine merges with, and community.general's
 * lists_mergeby (plugins/filter/lists_mergeby.py, ansible 12.0.0), which merges lists of dicts with it.
 */
import { asSequence, isDict, kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { pyStr, pyTypeName } from './values.ts';

type Dict = Record<string, unknown>;

export function mergeHash(a: unknown, b: unknown, recursive: boolean, listMerge: string): unknown {
  if (isDict(a) && isDict(b)) {
    const out: Dict = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const both =
        k in a && ((isDict(a[k]) && isDict(v) && recursive) || (Array.isArray(a[k]) && Array.isArray(v)));
      out[k] = both ? mergeHash(a[k], v, recursive, listMerge) : v;
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (listMerge === 'append') return [...a, ...b];
    if (listMerge === 'prepend') return [...b, ...a];
    if (listMerge === 'append_rp') return [...a.filter((x) => !b.includes(x)), ...b];
    if (listMerge === 'prepend_rp') return [...b, ...a.filter((x) => !b.includes(x))];
    if (listMerge === 'keep') return a;
  }
  return b;
}

/**
 * lists_mergeby(*lists, index, recursive=, list_merge=): the dicts of all lists merged by their
 * `index` value (the later list's over the earlier, merge_hash), sorted by it; dicts without it
 * dropped; a single list (or a list of one list) comes back as it is, as the plugin's code does.
 */
export const listsMergeby = (...given: unknown[]): unknown => {
  const kw = kwargs(given, ['recursive', 'list_merge']);
  if (given.length < 2) throw new FilterError('At least one list and index are needed.');
  const lists: unknown[][] = [];
  for (const sub of given.slice(0, -1)) {
    const items = asSequence(sub);
    if (!items)
      throw new FilterError(
        `All arguments before the argument index for community.general.lists_mergeby must be lists. ${pyStr(sub)} is ${pyClass(sub)}`,
      );
    if (items.length === 0) continue;
    if (items.every((x) => asSequence(x) !== undefined)) lists.push(...items.map((x) => asSequence(x)!));
    else lists.push(items);
  }
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0];
  const index = given.at(-1);
  if (typeof index !== 'string')
    throw new FilterError(
      `First argument after the lists for community.general.lists_mergeby must be string. ${pyStr(index)} is ${pyClass(index)}`,
    );
  const recursive = Boolean(kw.recursive);
  const listMerge = String(kw.list_merge ?? 'replace');
  const mergeTwo = (x: unknown[], y: unknown[]): Dict[] => {
    const byIndex = new Map<unknown, Dict>();
    for (const elem of [...x, ...y]) {
      if (!isDict(elem))
        throw new FilterError(
          `Elements of list arguments for lists_mergeby must be dictionaries. ${pyStr(elem)} is ${pyClass(elem)}`,
        );
      if (!(index in elem)) continue;
      const key = elem[index];
      if (key !== null && typeof key === 'object')
        throw new FilterError(`unhashable type: '${pyTypeName(key)}'`);
      const mapKey = typeof key === 'boolean' ? Number(key) : key; // Python: True == 1
      byIndex.set(mapKey, mergeHash(byIndex.get(mapKey) ?? {}, elem, recursive, listMerge) as Dict);
    }
    return sortedBy([...byIndex.values()], index);
  };
  let result = lists.at(-1)!;
  for (const earlier of lists.slice(0, -1).reverse()) result = mergeTwo(earlier, result);
  return result;
};

/** Python's sorted(key=itemgetter(index)): texts by code point, numbers by value, never mixed. */
function sortedBy(dicts: Dict[], index: string): Dict[] {
  const keys = dicts.map((d) => d[index]);
  const kind = (k: unknown) => (typeof k === 'boolean' ? 'number' : typeof k);
  // timsort's first comparison of two kinds: the later key against the earlier one
  const mixed = keys.findIndex((k, i) => i > 0 && kind(k) !== kind(keys[i - 1]));
  if (keys.length > 1 && (mixed > 0 || keys.some((k) => !['string', 'number'].includes(kind(k)))))
    throw new FilterError(
      `'<' not supported between instances of '${pyTypeName(keys[Math.max(mixed, 1)])}' and '${pyTypeName(keys[Math.max(mixed, 1) - 1])}'`,
    );
  const codePoints = (t: string) => [...t].map((c) => c.codePointAt(0)!);
  const compareTexts = (a: string, b: string) => {
    const [x, y] = [codePoints(a), codePoints(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  };
  return [...dicts].sort((a, b) =>
    typeof a[index] === 'string'
      ? compareTexts(a[index] as string, b[index] as string)
      : Number(a[index]) - Number(b[index]),
  );
}

/** `%s` of type(x): "<class 'str'>". */
const pyClass = (v: unknown) => `<class '${pyTypeName(v)}'>`;
