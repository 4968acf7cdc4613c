/**
 * community.general's filters real roles use (ansible 12.0.0's collection, plugins/filter/*.py):
 * dict_kv, counter, groupby_as_dict, lists_mergeby, from_csv, version_sort, keep_keys / remove_keys / replace_keys,
 * random_mac, unicode_normalize and the time units (time-units.ts); and ansible-core's
 * commonpath and normpath (os.path's). Only by their full names, as 2.19 finds them (random_mac
 * also by its short name: ansible-core's runtime routes it there). A dict's key quorum cannot
 * keep as Python would (a number) is refused, never turned into text silently.
 */

import { asSequence, isDict, kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { fromCsv } from './from-csv.ts';
import { GENERAL_LIST_FILTERS } from './general-lists.ts';
import { INI_FILTERS } from './ini-filters.ts';
import { listsMergeby } from './merge-hash.ts';
import { PyRandom, systemRandom } from './py-random.ts';
import { pyRegex } from './regex.ts';
import { TIME_UNIT_FILTER_FUNCTIONS } from './time-units.ts';
import { pyRepr, pyTypeName } from './values.ts';

type Filter = (value: unknown, ...args: unknown[]) => unknown;
type Dict = Record<string, unknown>;

function textKey(key: unknown, filter: string): string {
  if (typeof key !== 'string')
    throw new FilterError(
      `${filter}: the key ${pyRepr(key)} is a ${pyTypeName(key)}; quorum's dicts keep text keys only`,
    );
  return key;
}

const dictKv: Filter = (value, key) => ({ [textKey(key, 'dict_kv')]: value });

const counter: Filter = (sequence) => {
  const items = asSequence(sequence);
  if (!items)
    throw new FilterError(
      `Argument for community.general.counter must be a sequence (string or list). ${pyRepr(sequence)} is ${pyTypeName(sequence)}`,
    );
  const out: Record<string, number> = {};
  for (const item of items) {
    const key = textKey(item, 'community.general.counter');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
};

const groupbyAsDict: Filter = (sequence, attribute) => {
  const items = asSequence(sequence);
  if (!items) throw new FilterError('Input is not a sequence');
  const out: Dict = {};
  items.forEach((element, i) => {
    if (!isDict(element)) throw new FilterError(`Sequence element #${i} is not a mapping`);
    if (!(String(attribute) in element))
      throw new FilterError(`Attribute not contained in element #${i} of sequence`);
    const key = textKey(element[String(attribute)], 'groupby_as_dict');
    if (key in out) throw new FilterError(`Multiple sequence entries have attribute value ${pyRepr(key)}`);
    out[key] = element;
  });
  return out;
};

/** LooseVersion's components: numbers and letter runs, dots dropped, anything else kept as text. */
const looseVersion = (v: string): Array<number | string> =>
  v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));

function compareLoose(a: Array<number | string>, b: Array<number | string>): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (typeof x !== typeof y)
      throw new FilterError(
        `'<' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`,
      );
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const versionSort: Filter = (value, ...args) => {
  const reverse = Boolean(kwargs(args, ['reverse']).reverse ?? args[0] ?? false);
  const items = asSequence(value) ?? [];
  const keyed = items.map((v) => ({ v, key: looseVersion(String(v)) }));
  // Python's sort is stable, reverse=True too (equal items keep their order)
  const sorted = keyed.sort((p, q) => (reverse ? compareLoose(q.key, p.key) : compareLoose(p.key, q.key)));
  return sorted.map((p) => p.v);
};

const MATCHING = ['equal', 'starts_with', 'ends_with', 'regex'];

function keysData(data: unknown, matching: unknown): Dict[] {
  if (!Array.isArray(data))
    throw new FilterError(`First argument must be a list. ${pyRepr(data)} is ${pyTypeName(data)}`);
  for (const elem of data)
    if (!isDict(elem))
      throw new FilterError(`The data items must be dictionaries. ${pyRepr(elem)} is ${pyTypeName(elem)}`);
  if (!MATCHING.includes(String(matching)))
    throw new FilterError(
      `The matching_parameter must be one of ${pyRepr(MATCHING)}. matching_parameter=${String(matching)}`,
    );
  return data as Dict[];
}

/** How a key is matched against one target: equal, a prefix, a suffix, or a Python regex from the start. */
function matcher(matching: string): (key: string, target: string) => boolean {
  if (matching === 'starts_with') return (k, t) => k.startsWith(t);
  if (matching === 'ends_with') return (k, t) => k.endsWith(t);
  if (matching === 'regex') return (k, t) => pyRegex(`^(?:${t})`, {}).test(k);
  return (k, t) => k === t;
}

function targetList(target: unknown, matching: string): string[] {
  const list = typeof target === 'string' ? [target] : Array.isArray(target) ? target : undefined;
  if (!list) throw new FilterError(`The target must be a string or a list. target is ${pyTypeName(target)}.`);
  if (list.length === 0) throw new FilterError("The target can't be empty.");
  for (const t of list)
    if (typeof t !== 'string')
      throw new FilterError(`The target items must be strings. ${pyRepr(t)} is ${pyTypeName(t)}`);
  if (matching === 'regex' && list.length > 1)
    throw new FilterError('Single item is required in the target list if matching_parameter=regex.');
  return list as string[];
}

const keysFilter =
  (keep: boolean): Filter =>
  (data, ...args) => {
    const kw = kwargs(args, ['target', 'matching_parameter']);
    const matching = String(kw.matching_parameter ?? args[1] ?? 'equal');
    const items = keysData(data, matching);
    const targets = targetList(kw.target ?? args[0], matching);
    const match = matcher(matching);
    return items.map((d) =>
      Object.fromEntries(Object.entries(d).filter(([k]) => targets.some((t) => match(k, t)) === keep)),
    );
  };

const replaceKeys: Filter = (data, ...args) => {
  const kw = kwargs(args, ['target', 'matching_parameter']);
  const matching = String(kw.matching_parameter ?? args[1] ?? 'equal');
  const items = keysData(data, matching);
  const target = kw.target ?? args[0];
  if (!Array.isArray(target))
    throw new FilterError(`The target must be a list. target is ${pyTypeName(target)}.`);
  if (target.length === 0) throw new FilterError("The target can't be empty.");
  for (const t of target) {
    if (!isDict(t))
      throw new FilterError(`The target items must be dictionaries. ${pyRepr(t)} is ${pyTypeName(t)}`);
    if (!('before' in t && 'after' in t))
      throw new FilterError('All dictionaries in target must include attributes: after, before.');
    for (const k of ['before', 'after'])
      if (typeof t[k] !== 'string')
        throw new FilterError(`The attributes ${k} must be strings. ${pyRepr(t[k])} is ${pyTypeName(t[k])}`);
  }
  const match = matcher(matching);
  const rename = (key: string) =>
    (target as Dict[]).find((t) => match(key, t.before as string))?.after as string | undefined;
  return items.map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [rename(k) ?? k, v])));
};

const randomMac: Filter = (value, ...args) => {
  if (typeof value !== 'string')
    throw new FilterError(`Invalid value type (${pyTypeName(value)}) for random_mac (${pyRepr(value)})`);
  const prefix = value.toLowerCase();
  const items = prefix.split(':');
  if (items.length > 5)
    throw new FilterError(`Invalid value (${prefix}) for random_mac: 5 colon(:) separated items max`);
  const err = items
    .map((m) => (!m ? 'empty item' : /^[a-f0-9]{2}/.test(m) ? '' : `${m} not hexa byte`))
    .filter(Boolean)
    .join(',');
  if (err) throw new FilterError(`Invalid value (${prefix}) for random_mac: ${err}`);
  const seed = kwargs(args, ['seed']).seed ?? args[0];
  const source =
    seed === undefined || seed === null
      ? systemRandom
      : new PyRandom(typeof seed === 'number' ? seed : String(seed));
  // randint(0x1000000000, 0xFFFFFFFFFF), its hex digits cut to what the prefix leaves
  const v = source.randrange(68719476736, 1099511627776, 1);
  const rnd = v.toString(16).slice(0, 2 * (6 - items.length));
  return prefix + rnd.replace(/(..)/g, ':$1');
};

const unicodeNormalize: Filter = (data, ...args) => {
  if (typeof data !== 'string') throw new FilterError(`${pyTypeName(data)} is not a valid input type`);
  const form = String(kwargs(args, ['form']).form ?? args[0] ?? 'NFC');
  if (!['NFC', 'NFD', 'NFKC', 'NFKD'].includes(form)) throw new FilterError(`${form} is not a valid form`);
  return data.normalize(form);
};

/** posixpath.normpath. */
export function normpath(path: string): string {
  if (path === '') return '.';
  const initial = path.startsWith('/') ? (path.startsWith('//') && !path.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c !== '..' || (!initial && parts.length === 0) || parts.at(-1) === '..') parts.push(c);
    else if (parts.length) parts.pop();
  }
  const out = '/'.repeat(initial) + parts.join('/');
  return out || '.';
}

const commonpath: Filter = (paths) => {
  if (!Array.isArray(paths))
    throw new FilterError(`|commonpath expects sequence, got ${pyTypeName(paths)} instead.`);
  if (paths.length === 0) throw new FilterError('commonpath() arg is an empty sequence');
  const texts = paths.map(String);
  const absolute = texts.map((p) => p.startsWith('/'));
  if (absolute.some((a) => a !== absolute[0])) throw new FilterError("Can't mix absolute and relative paths");
  const split = texts.map((p) => p.split('/').filter((c) => c && c !== '.'));
  const common: string[] = [];
  for (let i = 0; split.every((s) => i < s.length && s[i] === split[0][i]); i++) common.push(split[0][i]);
  return (absolute[0] ? '/' : '') + common.join('/');
};

/** By their full names (the engine sees the short one): collection filters quorum carries. */
export const GENERAL_FILTERS: Record<string, Filter> = {
  dict_kv: dictKv,
  counter,
  groupby_as_dict: groupbyAsDict,
  lists_mergeby: listsMergeby,
  from_csv: fromCsv,
  version_sort: versionSort,
  keep_keys: keysFilter(true),
  remove_keys: keysFilter(false),
  replace_keys: replaceKeys,
  random_mac: randomMac,
  unicode_normalize: unicodeNormalize,
  ...TIME_UNIT_FILTER_FUNCTIONS,
  ...GENERAL_LIST_FILTERS,
  ...INI_FILTERS,
};

/** ansible-core's own, added in 2.15. */
export const PATH_FILTERS: Record<string, Filter> = {
  commonpath,
  normpath: (path) => normpath(String(path)),
};
