/** module_defaults as written on a play, a block or a task, checked against the module registry. */
import { InputError, type SourceLocation } from '../errors.ts';
import { findInstalledModule } from '../modules/library/installed.ts';
import { findModule } from '../modules/registry.ts';
import { entryLocation } from '../yaml/load.ts';
import { collectionRoots } from './role-path.ts';

const fail = (message: string, where: SourceLocation): never => {
  throw new InputError('SCHEMA', message, where);
};

/** The key of an installed module's defaults (one quorum runs from ansible-core or a collection): its full name. */
export const installedDefaultsKey = (fqcn: string) => `installed:${fqcn}`;

function installedKey(name: string): string | undefined {
  try {
    const found = findInstalledModule(name, collectionRoots());
    return found ? installedDefaultsKey(found.fqcn) : undefined;
  } catch {
    return undefined; // removed from its collection: no task can name it either
  }
}

/**
 * module_defaults (of a play, a block or a task): parameters a module's tasks get unless they set
 * them, by the module's own name (an FQCN or alias names the same module; a module quorum runs
 * from the installed ansible-core or a collection by its full name, after redirects). Action
 * groups are refused.
 */
export function moduleDefaults(
  raw: Record<string, unknown>,
  where: SourceLocation,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const given = (raw.module_defaults ?? {}) as Record<string, unknown>;
  for (const [name, params] of Object.entries(given)) {
    const at = entryLocation(given, name) ?? where;
    const key = findModule(name)?.name ?? installedKey(name);
    if (!key)
      fail(
        name.startsWith('group/')
          ? `module_defaults: action groups (${name}) are not supported`
          : `module_defaults: unknown module "${name}"`,
        at,
      );
    if (!params || typeof params !== 'object' || Array.isArray(params))
      fail(`module_defaults: ${name} needs a mapping of parameters`, at);
    out.set(key!, { ...out.get(key!), ...(params as Record<string, unknown>) });
  }
  return out;
}

/**
 * A task's parameters with the defaults that name its module: merged under the task's own; for a
 * module run from the installed ansible-core or a collection, under its arguments.
 */
export function withDefaults(
  module: string,
  params: Record<string, unknown>,
  defaults: ReadonlyMap<string, Record<string, unknown>> | undefined,
): Record<string, unknown> {
  if (!defaults?.size) return params;
  const fqcn = module === 'library_module' || module === 'ansible_action' ? params.fqcn : undefined;
  if (typeof fqcn === 'string') {
    const given = defaults.get(installedDefaultsKey(fqcn));
    return given ? { ...params, args: { ...given, ...(params.args as Record<string, unknown>) } } : params;
  }
  const given = defaults.get(module);
  return given ? { ...given, ...params } : params;
}
