/**
 * ansible.utils' data filters quorum carries (ansible 12.0.0's collection): to_paths
 * (module_utils/common/to_paths.py), a nested value flattened into paths and their leaves. Only
 * by the full name, as 2.19 finds it.
 */
import { isDict, kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** to_paths(var, prepend=None, wantlist=False): `a.b[0]` (or `a['b-c']`) -> leaf, empty containers kept. */
function toPaths(value: unknown, ...args: unknown[]): unknown {
  const kw = kwargs(args, ['prepend', 'wantlist']);
  const [prepend = kw.prepend, wantlist = kw.wantlist] = args;
  if (prepend !== undefined && prepend !== null && typeof prepend !== 'string')
    throw new FilterError(
      `argument 'prepend' is of type ${typeof prepend} and we were unable to convert to str`,
    );
  const root = typeof prepend === 'string' && prepend !== '' ? { [prepend]: value } : value;
  const flatten = (data: unknown, name: string, out: Record<string, unknown>): unknown => {
    if (isDict(data)) {
      const entries = Object.entries(data);
      if (entries.length === 0) return name ? Object.assign(out, { [name]: {} }) : {};
      for (const [key, v] of entries)
        flatten(v, name ? (IDENTIFIER.test(key) ? `${name}.${key}` : `${name}['${key}']`) : key, out);
      return out;
    }
    if (Array.isArray(data)) {
      if (data.length === 0) return name ? Object.assign(out, { [name]: [] }) : [];
      data.forEach((v, i) => {
        flatten(v, `${name}[${i}]`, out);
      });
      return out;
    }
    out[name] = data;
    return out;
  };
  const out = flatten(root, '', {});
  return wantlist === true ? [out] : out;
}

/** By their full names (the engine sees the short one). */
export const UTILS_FILTERS: Record<string, (value: unknown, ...args: unknown[]) => unknown> = {
  to_paths: toPaths,
};
