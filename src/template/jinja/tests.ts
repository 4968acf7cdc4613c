/** Ansible's Jinja tests that real roles use (Jinja's own, such as defined and none, are minijinja's). */
import { kwargs } from './filter-args.ts';
import { FilterError } from './filters.ts';
import { PATH_TESTS } from './path-tests.ts';
import { pyRegex } from './regex.ts';
import { pyStr, pyTruth, pyTypeName } from './values.ts';

type Dict = Record<string, unknown>;
/** A task result, as core.py's result tests want one (a mapping), else their error. */
const resultFor =
  (test: string) =>
  (v: unknown): Dict => {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw new FilterError(`The '${test}' test expects a dictionary`);
    return v as Dict;
  };

/** core.py's failed, unreachable, skipped: the Python truth of the result's key of that name. */
const flag = (test: string) => (v: unknown) => pyTruth(resultFor(test)(v)[test]);
const failed = flag('failed');
const unreachable = flag('unreachable');
const skipped = flag('skipped');
/** A looped task's result without its own `changed` is changed when an item is. */
function changed(v: unknown): boolean {
  const r = resultFor('changed')(v);
  if ('changed' in r) return pyTruth(r.changed);
  const items = r.results;
  const dicts =
    Array.isArray(items) && items[0] !== null && typeof items[0] === 'object' && !Array.isArray(items[0]);
  return dicts && (items as Dict[]).some((i) => pyTruth(i?.changed));
}
/** An async job's `started`/`finished`; a result without one is taken as both, as core.py does (with a warning there). */
const asyncState = (key: 'started' | 'finished') => (v: unknown) => {
  const r = resultFor(key)(v);
  return key in r ? pyTruth(r[key]) : true;
};
function timedout(v: unknown): boolean {
  const t = resultFor('timedout')(v).timedout;
  return pyTruth(t) && pyTruth((t as Dict).period);
}

/** LooseVersion's parts: numbers and words, in order. */
function parts(v: string): Array<number | string> {
  return [...v.matchAll(/\d+|[a-z]+/gi)].map((m) => (/^\d/.test(m[0]) ? Number(m[0]) : m[0]));
}
function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === undefined) return -1;
    if (y[i] === undefined) return 1;
    if (x[i] === y[i]) continue;
    if (typeof x[i] === typeof y[i]) return x[i] < y[i] ? -1 : 1;
    return typeof x[i] === 'number' ? 1 : -1;
  }
  return 0;
}
const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
};
function version(v: unknown, ...args: unknown[]): boolean {
  const kw = kwargs(args, ['strict', 'version_type']);
  const [other, op = 'eq'] = args;
  const cmp = OPS[String(op)];
  if (!cmp) throw new FilterError(`version: unknown comparison operator "${String(op)}"`);
  if (
    kw.version_type !== undefined &&
    !['loose', 'semver', 'semantic', 'pep440'].includes(String(kw.version_type))
  )
    throw new FilterError(`version: version_type "${String(kw.version_type)}" is not supported`);
  return cmp(compareVersions(String(v), String(other)));
}

function regexTest(kind: 'match' | 'search' | 'fullmatch') {
  return (v: unknown, ...args: unknown[]) => {
    const kw = kwargs(args, ['ignorecase', 'multiline', 'match_type']);
    const src = String(args[0]);
    const mode = (kw.match_type as string | undefined) ?? kind;
    const anchored = mode === 'match' ? `^(?:${src})` : mode === 'fullmatch' ? `^(?:${src})$` : src;
    // the value as Python's str() gives it (2.19's to_text): a registered dict is searched in
    // its repr (nginxinc.nginx: `collection_list is search('community.general')`), True as True
    return pyRegex(anchored, kw).test(pyStr(v));
  };
}

const json = (v: unknown) => JSON.stringify(v);

export const TESTS: Record<string, (v: unknown, ...args: unknown[]) => boolean> = {
  version,
  version_compare: version,
  match: regexTest('match'),
  search: regexTest('search'),
  regex: regexTest('search'),
  failed,
  failure: failed,
  succeeded: (v) => !failed(v),
  success: (v) => !failed(v),
  successful: (v) => !failed(v),
  unreachable,
  reachable: (v) => !unreachable(v),
  timedout,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  started: asyncState('started'),
  finished: asyncState('finished'),
  // path tests look at the controller, as in Ansible
  ...PATH_TESTS,
  subset,
  issubset: subset,
  superset: (v, other) => subset(other, v),
  issuperset: (v, other) => subset(other, v),
  nan: (v) => typeof v === 'number' && Number.isNaN(v),
  isnan: (v) => typeof v === 'number' && Number.isNaN(v),
  contains: (v, x) => Array.isArray(v) && v.some((y) => json(x) === json(y)),
  truthy: pyTruth,
  falsy: (v) => !pyTruth(v),
  // ansible-core's any and all: Python's any()/all() over the items, by their truth
  any: (v) => iterable(v, 'any').some(pyTruth),
  all: (v) => iterable(v, 'all').every(pyTruth),
};

/** Python's set(a) <= set(b), for lists of hashable items (a list of texts' characters as set() takes them). */
function subset(a: unknown, b: unknown): boolean {
  const [x, y] = [a, b].map((v) => {
    if (Array.isArray(v)) {
      const bad = v.find((i) => i !== null && typeof i === 'object');
      if (bad !== undefined) throw new FilterError(`unhashable type: '${pyTypeName(bad)}'`);
      return v;
    }
    return iterable(v, 'subset');
  });
  return x.every((i) => y.some((j) => json(i) === json(j)));
}

/** What Python's any()/all() iterate: a list's items, a text's characters, a dict's keys. */
function iterable(v: unknown, test: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v !== null && typeof v === 'object') return Object.keys(v);
  throw new FilterError(`the ${test} test takes a sequence: '${pyTypeName(v)}' object is not iterable`);
}
