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
  refuseKeywordInArguments(mod, params as Record<string, unknown>, moduleKey);
  return params as Record<string, unknown>;
}

/**
 * A task keyword written inside a module's arguments (ubuntu22_cis: `loop:` indented under
 * lineinfile): no module has such a parameter, and 2.19 fails the task with "Unsupported
 * parameters" when it runs. Refused here, or, under a `when`, the task fails where it runs.
 */
export class KeywordInArguments extends InputError {}

function refuseKeywordInArguments(
  mod: ModuleDef<unknown>,
  params: Record<string, unknown>,
  moduleKey: string,
) {
  const schema = mod.schema as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  if (schema.additionalProperties !== false) return;
  const key = Object.keys(params).find(
    (k) => !(k in (schema.properties ?? {})) && (TASK_KEYWORDS as readonly string[]).includes(k),
  );
  if (key)
    throw new KeywordInArguments(
      'MODULE_PARAM',
      `${moduleKey}: "${key}" is a task keyword written inside the module's arguments (ansible-core 2.19 fails the task: Unsupported parameters)`,
      entryLocation(params, key),
      "write it at the level of the module, beside the task's name",
    );
}
