/** Ansible's Jinja tests that real roles use (Jinja's own, such as defined and none, are minijinja's). */
import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { kwargs } from './filter-args.ts';
import { FilterError } from './filters.ts';
import { pyRegex } from './regex.ts';
import { pyTruth, pyTypeName } from './values.ts';

type Dict = Record<string, unknown>;
const result = (v: unknown): Dict => {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new FilterError(
      'a task result test (succeeded, failed, changed, skipped) needs a registered result',
    );
  return v as Dict;
};

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
    return pyRegex(anchored, kw).test(String(v));
  };
}

const json = (v: unknown) => JSON.stringify(v);

export const TESTS: Record<string, (v: unknown, ...args: unknown[]) => boolean> = {
  version,
  version_compare: version,
  match: regexTest('match'),
  search: regexTest('search'),
  regex: regexTest('search'),
  succeeded: (v) => result(v).failed !== true,
  success: (v) => result(v).failed !== true,
  failed: (v) => result(v).failed === true,
  failure: (v) => result(v).failed === true,
  changed: (v) => result(v).changed === true,
  change: (v) => result(v).changed === true,
  skipped: (v) => result(v).skipped === true,
  skip: (v) => result(v).skipped === true,
  // path tests look at the controller, as in Ansible
  file: (v) => existsSync(String(v)) && statSync(String(v)).isFile(),
  directory: (v) => existsSync(String(v)) && statSync(String(v)).isDirectory(),
  link: (v) => {
    try {
      return lstatSync(String(v)).isSymbolicLink();
    } catch {
      return false;
    }
  },
  exists: (v) => existsSync(String(v)),
  abs: (v) => isAbsolute(String(v)),
  subset: (v, other) =>
    Array.isArray(v) && Array.isArray(other) && v.every((x) => other.some((y) => json(x) === json(y))),
  superset: (v, other) =>
    Array.isArray(v) && Array.isArray(other) && other.every((x) => v.some((y) => json(x) === json(y))),
  contains: (v, x) => Array.isArray(v) && v.some((y) => json(x) === json(y)),
  truthy: pyTruth,
  falsy: (v) => !pyTruth(v),
  // ansible-core's any and all: Python's any()/all() over the items, by their truth
  any: (v) => iterable(v, 'any').some(pyTruth),
  all: (v) => iterable(v, 'all').every(pyTruth),
};

/** What Python's any()/all() iterate: a list's items, a text's characters, a dict's keys. */
function iterable(v: unknown, test: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v !== null && typeof v === 'object') return Object.keys(v);
  throw new FilterError(`the ${test} test takes a sequence: '${pyTypeName(v)}' object is not iterable`);
}
