/** The vars, folders and loop items of one inline task, the same in validate, lookahead and run. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { evaluateWhen } from '../template/expr.ts';
import { MissingVariable } from '../template/render.ts';
import { loopItems } from './loops.ts';
import type { TaskSpec } from './model.ts';

/** Role defaults below everything; the task's own vars (role vars, block vars, vars:) above. */
/**
 * A task's variables in Ansible's order of precedence: role defaults, then `base` (inventory,
 * play vars ...), then the role's vars, block and task vars; above them what the run set
 * (set_fact, register, include_vars: `over.runtime`), the role's params, and -e above all.
 */
export function taskVars(
  task: TaskSpec,
  base: Record<string, unknown>,
  over: { runtime?: Record<string, unknown>; extra?: Record<string, unknown> } = {},
): Record<string, unknown> {
  // nothing to layer (the common case): base itself, not a copy of every variable per host and
  // task (most of a converged 1,000-host run's garbage); callers never change what they get
  if (
    !hasKeys(task.defaults) &&
    !hasKeys(task.vars) &&
    !hasKeys(over.runtime) &&
    !hasKeys(task.roleParams) &&
    !hasKeys(over.extra)
  )
    return base;
  return {
    ...task.defaults,
    ...base,
    ...task.vars,
    ...over.runtime,
    ...task.roleParams,
    ...over.extra,
  };
}

/** Whether an object has an own or inherited enumerable key (no array of them made). */
export function hasKeys(o: object | undefined): boolean {
  for (const _ in o) return true;
  return false;
}

/** The task's role folder first, then the playbook's. */
export function taskDirs(task: TaskSpec, searchDirs: string[]): string[] {
  return task.searchDirs ? [...task.searchDirs, ...searchDirs] : searchDirs;
}

const KIND: Record<string, string> = { include_vars: 'vars', template: 'templates' };

/** The loop's items (one undefined item for a task without a loop). */
export function taskItems(task: TaskSpec, vars: Record<string, unknown>, searchDirs: string[]): unknown {
  if (task.loop === undefined) return [undefined];
  const kind = KIND[task.module] ?? 'files';
  // ansible-core's task search path ends with the task file's own folder (Task.get_search_path):
  // a role's `include_tasks` over `with_first_found` finds its tasks/ files there
  const own = task.location?.file ? [dirname(task.location.file)] : [];
  const dirs = [...(task.searchDirs ?? []), ...own, ...searchDirs];
  const exists = (path: string) =>
    isAbsolute(path)
      ? existsSync(path)
      : dirs.some((d) => existsSync(join(d, kind, path)) || existsSync(join(d, path)));
  return loopItems(task, vars, exists);
}

/** The tasks and, inside looped includes, the tasks they run. */
export function withIncluded(tasks: TaskSpec[]): TaskSpec[] {
  return tasks.flatMap((t) => [t, ...withIncluded(t.includeLoop ?? [])]);
}

export const SKIPPED_BY_CONDITION = Symbol('skipped by its condition');

/**
 * The loop's items; a loop over a variable that is not defined is no error when the task's
 * condition, taken without an item, is false (`loop: "{{ x }}"` under `when: x is defined`):
 * ansible-core's TaskExecutor keeps the loop's error and raises it only if the condition holds.
 */
export function loopOrSkip(task: TaskSpec, base: Record<string, unknown>, searchDirs: string[]) {
  try {
    return taskItems(task, base, searchDirs);
  } catch (e) {
    if (!(e instanceof MissingVariable) || task.when === undefined) throw e;
    let holds: boolean;
    try {
      holds = evaluateWhen(task.when, base).value;
    } catch {
      throw e;
    }
    if (holds) throw e;
    return SKIPPED_BY_CONDITION;
  }
}
