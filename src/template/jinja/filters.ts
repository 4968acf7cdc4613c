/**
 * Ansible's filters that real roles use, with Ansible's (Python's) results. Filters Jinja itself
 * has (default, join, map, select, int, ...) are minijinja's own. Each takes plain values
 * (already out of the engine) and throws FilterError on bad input.
 */

import { createHash } from 'node:crypto';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { DATETIME_FILTERS } from './datetime.ts';
import { expanduserFilter, fileglobFilter, realpathFilter } from './fileglob.ts';
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { GENERAL_FILTERS, PATH_FILTERS } from './general-filters.ts';
import { HWADDR_FILTERS } from './hwaddr.ts';
import { IP_RANGE_FILTERS } from './ip-ranges.ts';
import { IPADDR_FILTERS } from './ipaddr.ts';
import { pyJson } from './json.ts';
import { jsonQuery } from './json-query.ts';
import { pickedBranch } from './marker-chains.ts';
import { MATH_FILTERS } from './math-filters.ts';
import { mergeHash } from './merge-hash.ts';
import { MORE_FILTERS } from './more-filters.ts';
import { passwordHash } from './password-hash.ts';
import { type DumpOptions, pyYamlDump } from './pyyaml.ts';
import { pyRegex, pySub } from './regex.ts';
import { comment, pathJoin } from './text-filters.ts';
import { strftimeFilter } from './time-filters.ts';
import { UTILS_FILTERS } from './utils-filters.ts';
import { pyTruth, pyTypeName } from './values.ts';
import { VAULT_FILTERS } from './vault-filters.ts';

export { FilterError };

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length} column ${before.at(-1)!.length + 1}`;
}

/** A YAML parse error without the quoted source (it may be a secret), with its place. */
function quietYaml<T>(filter: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const pos = (e as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw new FilterError(
      `${filter}: the text is not valid YAML${pos ? ` (line ${pos.line} column ${pos.col})` : ''}`,
    );
  }
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keyword arguments arrive as a trailing dict; only one whose keys are all `names` is taken as such. */
const YAML_OPTIONS = ['indent', 'width', 'default_flow_style', 'sort_keys', 'allow_unicode'];

/** to_yaml's keyword arguments (yaml.dump's); one quorum does not write as PyYAML is refused. */
function yamlOptions(name: string, args: unknown[], flowStyle: boolean | null, indent: number): DumpOptions {
  const last = args.at(-1);
  const kw = isDict(last) ? (args.pop() as Dict) : {};
  const unknown = Object.keys(kw).filter((k) => !YAML_OPTIONS.includes(k));
  if (unknown.length > 0 || kw.allow_unicode === false)
    throw new FilterError(
      `${name}: ${unknown[0] ?? 'allow_unicode=false'} is not supported (quorum writes YAML as PyYAML does with ${YAML_OPTIONS.slice(0, 4).join(', ')})`,
    );
  const style = kw.default_flow_style;
  return {
    indent: Number(kw.indent ?? (name === 'to_nice_yaml' ? (args[0] ?? indent) : indent)),
    width: kw.width === undefined ? undefined : Number(kw.width),
    flowStyle: style === undefined ? flowStyle : style === null ? null : Boolean(style),
    sortKeys: kw.sort_keys === undefined ? true : Boolean(kw.sort_keys),
  };
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.trim().toLowerCase());
  return false;
}

function uniqueOf(list: unknown[]): unknown[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const key = JSON.stringify(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
const listOf = (v: unknown, filter: string): unknown[] => {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  throw new FilterError(`${filter} expects a list, got ${v === null ? 'none' : typeof v}`);
};
const has = (list: unknown[], x: unknown) => list.some((y) => JSON.stringify(y) === JSON.stringify(x));

function flatten(list: unknown[], levels: number | null): unknown[] {
  return list.flatMap((x) =>
    Array.isArray(x) && (levels === null || levels > 0)
      ? flatten(x, levels === null ? null : levels - 1)
      : [x],
  );
}

function shellQuote(s: string): string {
  if (s === '') return "''";
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`;
}

function search(s: unknown, pattern: unknown, groups: unknown[], flags: Dict) {
  const re = pyRegex(String(pattern), flags);
  const m = re.exec(String(s));
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => {
    const name = String(g);
    const ref = /^\\(\d+)$/.exec(name);
    const named = /^\\g<(\w+)>$/.exec(name);
    return ref ? m[Number(ref[1])] : named ? m.groups?.[named[1]] : name;
  });
}

export const FILTERS: Record<string, (v: unknown, ...args: unknown[]) => unknown> = {
  bool: (v) => toBool(v),
  fileglob: (v) => fileglobFilter(v),
  realpath: (v) => realpathFilter(v),
  basename: (v) => String(v).replace(/.*\//, ''),
  dirname: (v) => {
    const s = String(v);
    const i = s.lastIndexOf('/');
    return i < 0 ? '' : i === 0 ? '/' : s.slice(0, i).replace(/\/+$/, '') || '/';
  },
  path_join: (v) => pathJoin(v),
  splitext: (v) => {
    const m = /^(.*?)(\.[^./]*)?$/.exec(String(v)) as RegExpExecArray;
    return m[1] === '' || m[1].endsWith('/') ? [String(v), ''] : [m[1], m[2] ?? ''];
  },
  regex_replace: (v, ...args) => {
    const kw = kwargs(args, ['ignorecase', 'multiline', 'count']);
    const [pattern = '', replacement = '', ignorecase, multiline, count] = args;
    const flags = { ignorecase: kw.ignorecase ?? ignorecase, multiline: kw.multiline ?? multiline };
    return pySub(
      String(v ?? ''),
      pyRegex(String(pattern), flags, true),
      String(replacement),
      Number(kw.count ?? count ?? 0),
    );
  },
  regex_search: (v, ...args) => {
    const kw = kwargs(args, ['ignorecase', 'multiline']);
    const [pattern, ...groups] = args;
    return search(v, pattern, groups, kw);
  },
  regex_findall: (v, ...args) => {
    const kw = kwargs(args, ['ignorecase', 'multiline']);
    const re = pyRegex(String(args[0]), kw, true);
    return [...String(v).matchAll(re)].map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0])));
  },
  regex_escape: (v) => String(v).replace(/[^\w]/g, (c) => `\\${c}`),
  combine: (v, ...args) => {
    const kw = kwargs(args, ['recursive', 'list_merge']);
    const dicts = [v, ...args].flatMap((d) => (Array.isArray(d) ? d : [d]));
    for (const d of dicts)
      if (!isDict(d)) throw new FilterError(`combine expects dictionaries, got ${pyTypeName(d)}`);
    return dicts.reduce(
      (a, b) => mergeHash(a, b, Boolean(kw.recursive), String(kw.list_merge ?? 'replace')),
      {},
    );
  },
  // ansible-core's extract: container[item], then each of morekeys in turn
  extract: (item, container, morekeys) => {
    const keys = [item, ...(morekeys === undefined || morekeys === null ? [] : [morekeys].flat())];
    return keys.reduce((value: unknown, key) => {
      const found = Array.isArray(value)
        ? value.at(Number(key))
        : isDict(value)
          ? value[String(key)]
          : undefined;
      if (found === undefined)
        throw new FilterError(`extract: ${JSON.stringify(key)} is not in ${pyTypeName(value)}`);
      return found;
    }, container);
  },
  dict2items: (v, ...args) => {
    const kw = kwargs(args, ['key_name', 'value_name']);
    if (!isDict(v)) throw new FilterError(`dict2items requires a dictionary, got ${pyTypeName(v)}`);
    const [key = kw.key_name ?? 'key', value = kw.value_name ?? 'value'] = args;
    return Object.entries(v).map(([k, x]) => ({ [String(key)]: k, [String(value)]: x }));
  },
  items2dict: (v, ...args) => {
    const kw = kwargs(args, ['key_name', 'value_name']);
    const [key = kw.key_name ?? 'key', value = kw.value_name ?? 'value'] = args;
    return Object.fromEntries(
      listOf(v, 'items2dict').map((i) => [String((i as Dict)[String(key)]), (i as Dict)[String(value)]]),
    );
  },
  to_json: (v, ...args) => pyJson(v, { sortKeys: Boolean(kwargs(args, ['sort_keys', 'indent']).sort_keys) }),
  to_nice_json: (v, ...args) => {
    const kw = kwargs(args, ['indent', 'sort_keys']);
    return pyJson(v, { indent: Number(kw.indent ?? args[0] ?? 4), sortKeys: kw.sort_keys !== false });
  },
  from_json: (v) => {
    const text = String(v);
    try {
      return JSON.parse(text);
    } catch (e) {
      // never the text itself: it may be a secret (a no_log result, a private prompt)
      const at = /position (\d+)/.exec((e as Error).message);
      throw new FilterError(
        `from_json: the text is not valid JSON${at ? ` (${lineCol(text, Number(at[1]))})` : ''}`,
      );
    }
  },
  to_yaml: (v, ...args) => pyYamlDump(v, yamlOptions('to_yaml', args, null, 2)),
  to_nice_yaml: (v, ...args) => pyYamlDump(v, yamlOptions('to_nice_yaml', args, false, 4)),
  from_yaml: (v) => quietYaml('from_yaml', () => parseYaml(String(v), { prettyErrors: false })),
  from_yaml_all: (v) =>
    quietYaml('from_yaml_all', () =>
      parseAllDocuments(String(v), { prettyErrors: false }).flatMap((d) => {
        if (d.errors.length > 0) throw d.errors[0];
        return [d.toJS()];
      }),
    ),
  b64encode: (v) => Buffer.from(String(v), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(String(v), 'base64').toString('utf8'),
  hash: (v, algo = 'sha1') => createHash(String(algo)).update(String(v)).digest('hex'),
  checksum: (v) => createHash('sha1').update(String(v)).digest('hex'),
  password_hash: passwordHash,
  json_query: jsonQuery,
  ...IPADDR_FILTERS,
  ...DATETIME_FILTERS,
  ...GENERAL_FILTERS,
  ...PATH_FILTERS,
  ...IP_RANGE_FILTERS,
  ...UTILS_FILTERS,
  ...HWADDR_FILTERS,
  ...MORE_FILTERS,
  ...MATH_FILTERS,
  ...VAULT_FILTERS,
  strftime: strftimeFilter,
  sha1: (v) => createHash('sha1').update(String(v)).digest('hex'),
  md5: (v) => createHash('md5').update(String(v)).digest('hex'),
  unique: (v) => uniqueOf(listOf(v, 'unique')),
  union: (v, other) => uniqueOf([...listOf(v, 'union'), ...listOf(other, 'union')]),
  intersect: (v, other) => uniqueOf(listOf(v, 'intersect').filter((x) => has(listOf(other, 'intersect'), x))),
  difference: (v, other) =>
    uniqueOf(listOf(v, 'difference').filter((x) => !has(listOf(other, 'difference'), x))),
  symmetric_difference: (v, other) => {
    const a = listOf(v, 'symmetric_difference');
    const b = listOf(other, 'symmetric_difference');
    return uniqueOf([...a.filter((x) => !has(b, x)), ...b.filter((x) => !has(a, x))]);
  },
  flatten: (v, ...args) => {
    const kw = kwargs(args, ['levels', 'skip_nulls']);
    const levels = kw.levels ?? args[0];
    const out = flatten(
      listOf(v, 'flatten'),
      levels === undefined || levels === null ? null : Number(levels),
    );
    return kw.skip_nulls === false ? out : out.filter((x) => x !== null && x !== 'None');
  },
  zip: (v, ...others) => {
    const lists = [listOf(v, 'zip'), ...others.map((o) => listOf(o, 'zip'))];
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
  },
  // Python's truth of the value ([] and {} are false), as 2.19's; a branch that is an undefined
  // variable's marker (marker-chains.ts) fails only when it is the one picked
  ternary: (v, yes, no, none) =>
    pickedBranch(v === null && none !== undefined ? none : pyTruth(v) ? yes : no),
  quote: (v) => shellQuote(v === null ? '' : String(v)),
  type_debug: (v) => pyTypeName(v),
  comment: (v, ...args) => comment(String(v), args),
  expanduser: expanduserFilter,
  subelements: (v, key, ...args) => {
    const kw = kwargs(args, ['skip_missing']);
    const skip = Boolean(kw.skip_missing ?? args[0]);
    return listOf(v, 'subelements').flatMap((el) => {
      const sub = String(key)
        .split('.')
        .reduce<unknown>((o, k) => (isDict(o) ? o[k] : undefined), el);
      if (sub === undefined) {
        if (skip) return [];
        throw new FilterError(`subelements: "${String(key)}" not found in an element`);
      }
      return listOf(sub, 'subelements').map((s) => [el, s]);
    });
  },
};
