/** module_defaults as written on a play, a block or a task, checked against the module registry. */
import { InputError, type SourceLocation } from '../errors.ts';
import { findModule } from '../modules/registry.ts';
import { entryLocation } from '../yaml/load.ts';

const fail = (message: string, where: SourceLocation): never => {
  throw new InputError('SCHEMA', message, where);
};

/**
 * module_defaults (of a play, a block or a task): parameters a module's tasks get unless they set
 * them, by the module's own name (an FQCN or alias names the same module). Action groups are refused.
 */
export function moduleDefaults(
  raw: Record<string, unknown>,
  where: SourceLocation,
): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const given = (raw.module_defaults ?? {}) as Record<string, unknown>;
  for (const [name, params] of Object.entries(given)) {
    const at = entryLocation(given, name) ?? where;
    const mod = findModule(name);
    if (!mod)
      fail(
        name.startsWith('group/')
          ? `module_defaults: action groups (${name}) are not supported`
          : `module_defaults: unknown module "${name}"`,
        at,
      );
    if (!params || typeof params !== 'object' || Array.isArray(params))
      fail(`module_defaults: ${name} needs a mapping of parameters`, at);
    out.set(mod!.name, { ...out.get(mod!.name), ...(params as Record<string, unknown>) });
  }
  return out;
}
