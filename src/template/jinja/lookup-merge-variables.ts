/**
 * community.general's merge_variables lookup (12.0.0, plugins/lookup/merge_variables.py): the
 * variables whose names match each term (a regex searched, a prefix or a suffix), sorted by name,
 * each rendered, merged into one list or dict (lists concatenated, dicts recursively, a key given
 * two values an error, a warning or neither by `override`), from `initial_value`; with `groups`,
 * the same across the hosts of those groups, each host's variables its own.
 */
import { templateWarning } from '../template-warnings.ts';
import { ControllerStateError, FilterError } from './filter-error.ts';
import { pyRegex } from './regex.ts';
import { renderVarValue } from './templated-values.ts';
import { pyRepr, pyStr } from './values.ts';

export const MERGE_VARIABLES_OPTIONS = ['initial_value', 'override', 'pattern_type', 'groups'];

type Merged = unknown[] | Record<string, unknown>;
const isDict = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
/** A copy to merge into: the plugin mutates its result, never the variables it read. */
const copied = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(copied)
    : isDict(v) && Object.getPrototypeOf(v) === Object.prototype
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copied(x)]))
      : v;

function typeOf(v: unknown): 'list' | 'dict' {
  if (Array.isArray(v)) return 'list';
  if (isDict(v)) return 'dict';
  throw new ControllerStateError('Not supported type detected, variable must be a list or a dict');
}

export function mergeVariablesLookup(
  terms: unknown[],
  kw: Record<string, unknown>,
  scope: Record<string, unknown>,
): unknown[] {
  const override = String(kw.override ?? 'error');
  const patternType = String(kw.pattern_type ?? 'regex');
  if (!['error', 'warn', 'ignore'].includes(override))
    throw new FilterError(
      `lookup("merge_variables"): override must be one of error, warn, ignore, not ${pyRepr(override)}`,
    );
  if (!['regex', 'prefix', 'suffix'].includes(patternType))
    throw new FilterError(
      `lookup("merge_variables"): pattern_type must be one of regex, prefix, suffix, not ${pyRepr(patternType)}`,
    );
  const groups = kw.groups === undefined || kw.groups === null ? undefined : [kw.groups].flat().map(String);
  const matches = (key: string, pattern: string) =>
    patternType === 'prefix'
      ? key.startsWith(pattern)
      : patternType === 'suffix'
        ? key.endsWith(pattern)
        : pyRegex(pattern, {}).test(key);

  const mergeDict = (src: Record<string, unknown>, dest: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(src)) {
      if (isDict(value)) {
        if (!isDict(dest[key])) dest[key] = {};
        mergeDict(value, dest[key] as Record<string, unknown>, [...path, key]);
      } else if (Array.isArray(value) && key in dest) dest[key] = [...(dest[key] as unknown[]), ...value];
      else {
        if (key in dest && JSON.stringify(dest[key]) !== JSON.stringify(value)) {
          const msg = `The key '${key}' with value '${pyStr(dest[key])}' will be overwritten with value '${pyStr(value)}' from '${[...path, key].join('.')}'`;
          // as in Ansible, the task fails when it runs (ignore_errors and a rescue see it)
          if (override === 'error') throw new ControllerStateError(msg);
          if (override === 'warn') templateWarning(msg);
        }
        dest[key] = value;
      }
    }
    return dest;
  };

  const merge = (pattern: string, initial: unknown, vars: Record<string, unknown>): unknown => {
    const names = Object.keys(vars)
      .filter((k) => matches(k, pattern))
      .sort();
    let kind = initial === undefined || initial === null ? undefined : typeOf(initial);
    let result: Merged | undefined =
      initial === undefined || initial === null ? undefined : (copied(initial) as Merged);
    for (const name of names) {
      const value = renderVarValue(vars[name], vars);
      const type = typeOf(value);
      if (kind === undefined) kind = type;
      else if (kind !== type)
        throw new FilterError('Unable to merge, not all variables are of the same type');
      if (result === undefined) result = copied(value) as Merged;
      else if (type === 'dict')
        result = mergeDict(value as Record<string, unknown>, result as Record<string, unknown>, [name]);
      else result = [...(result as unknown[]), ...(value as unknown[])];
    }
    return result ?? null;
  };

  return terms.map((term) => {
    if (typeof term !== 'string')
      throw new FilterError(
        `Non-string type '${Array.isArray(term) ? 'list' : typeof term}' passed, only 'str' types are allowed!`,
      );
    if (!groups) return merge(term, kw.initial_value, scope);
    let acc: unknown = kw.initial_value;
    const hostvars = (scope.hostvars ?? {}) as Record<string, Record<string, unknown>>;
    for (const host of Object.keys(hostvars)) {
      const vars = hostvars[host];
      const names = (vars.group_names as string[] | undefined) ?? [];
      if (groups.includes('all') || names.some((g) => groups.includes(g)))
        acc = merge(term, acc, { ...vars, hostvars });
    }
    return acc ?? null;
  });
}
