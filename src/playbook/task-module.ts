/**
 * A task's module: the one key that is not a task keyword (an unknown key refused with a
 * did-you-mean), and its arguments in every form Ansible takes them (a mapping, key=value
 * words, a free form, `args:`), as one mapping under the module's canonical names.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { canonicalKeys } from '../modules/args.ts';
import { allModuleKeys, findModule } from '../modules/registry.ts';
import type { ModuleDef } from '../modules/types.ts';
import { isUnsafe } from '../template/unsafe.ts';
import { entryLocation } from '../yaml/load.ts';
import { didYouMean } from './errors.ts';
import { splitCommandFreeForm, splitKeyValues } from './free-form.ts';
import { isLoopKey } from './loops.ts';
import { TASK_KEYWORDS } from './schema.ts';

export function taskModuleKey(task: Record<string, unknown>, where: SourceLocation): string {
  const keywords = new Set<string>(TASK_KEYWORDS);
  const moduleKeys = Object.keys(task).filter((k) => !keywords.has(k) && !isLoopKey(k));
  const known = moduleKeys.filter((k) => findModule(k));
  const unknown = moduleKeys.filter((k) => !findModule(k));
  if (unknown.length) {
    const key = unknown[0];
    const guess = didYouMean(key, [...TASK_KEYWORDS, ...allModuleKeys()]);
    throw new InputError(
      'TASK',
      `unknown module or task keyword "${key}"`,
      entryLocation(task, key),
      guess
        ? `did you mean "${guess}"?`
        : /^\w+\.\w+\.\w+$/.test(key)
          ? "quorum runs a collection's module from the collection installed on this machine with ansible-core (ansible-galaxy collection install, or pip install ansible); none here has it"
          : 'run `quorum modules` for the list of modules, or put the module in library/',
    );
  }
  if (known.length !== 1) {
    throw new InputError(
      'TASK',
      known.length === 0 ? 'task has no module' : `task has more than one module: ${known.join(', ')}`,
      where,
      'a task needs exactly one module key, such as copy, command or service',
    );
  }
  return known[0];
}

export function taskModuleParams(
  task: Record<string, unknown>,
  moduleKey: string,
  mod: ModuleDef<unknown>,
): Record<string, unknown> {
  let params = task[moduleKey];
  // `command: !unsafe "echo {{ x }}"`: the whole free form, kept unsafe (never templated)
  if (isUnsafe(params) && mod.freeForm) params = { [mod.freeForm]: params };
  else if (typeof params === 'string' && ['command', 'shell', 'script'].includes(mod.name)) {
    const { cmd, params: kv } = splitCommandFreeForm(params);
    params = { cmd, ...kv };
  } else if (
    typeof params === 'string' &&
    splitKeyValues(params) &&
    (!mod.freeForm || params.includes('='))
  ) {
    params = splitKeyValues(params);
  } else if (typeof params === 'string' && mod.freeForm) params = { [mod.freeForm]: params };
  else if (typeof params === 'string')
    throw new InputError(
      'TASK',
      `arguments of "${moduleKey}" must be a mapping or key=value words: ${JSON.stringify(params)}`,
      entryLocation(task, moduleKey),
    );
  if (params === null || params === undefined) params = {};
  if (task.args && typeof task.args === 'object' && typeof params === 'object')
    params = { ...(task.args as object), ...(params as object) };
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new InputError(
      'TASK',
      `params of "${moduleKey}" must be a mapping`,
      entryLocation(task, moduleKey),
    );
  }
  params = canonicalKeys(mod, params as Record<string, unknown>);
  return params as Record<string, unknown>;
}
