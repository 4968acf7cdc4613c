/**
 * An undefined name in a `when` is an error before any host is touched, as it is in a template:
 * `when: enabel_x | bool` (a typo) used to validate and then fail every host. Names set during
 * the run (register, set_fact, loop variables, gathered facts) are left to the run, and so is
 * every condition of a playbook that loads variables or tasks at run time (include_vars,
 * include_*): what those define is not known before.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { didYouMean } from '../playbook/errors.ts';
import type { Play } from '../playbook/model.ts';
import { evaluateWhen, UndefinedInCondition } from '../template/expr.ts';
import { MissingVariable } from '../template/render.ts';

const LOADS_AT_RUN_TIME = /^(include_vars|include_tasks|include_role|import_tasks|import_role)$/;

/** Whether every name a condition may use is known before the run. */
export function namesKnownBeforeRun(plays: Play[]): boolean {
  return plays.every((p) =>
    [...p.items, ...p.handlers.map((task) => ({ kind: 'task' as const, task }))].every(
      (it) =>
        it.kind !== 'task' ||
        (!LOADS_AT_RUN_TIME.test(it.task.module) && !(it.task.defines ?? []).some((d) => d.includes('{{'))),
    ),
  );
}

/** The root of the name a condition finds undefined, or undefined where it evaluates (or fails otherwise). */
function undefinedRoot(when: unknown, vars: Record<string, unknown>): string | undefined {
  try {
    evaluateWhen(when, vars);
  } catch (e) {
    if (e instanceof UndefinedInCondition || e instanceof MissingVariable) return e.variable.split(/[.[]/)[0];
  }
  return undefined; // parse errors: elsewhere
}

export function checkWhenNames(
  when: unknown,
  vars: Record<string, unknown>,
  runtime: Set<string>,
  where: SourceLocation,
): void {
  let root = undefinedRoot(when, vars);
  // a variable that is there but whose own template names what is not (a role default built
  // from a set_fact of the run: debops' resolved__enabled) is undefined where the condition tests
  // definedness; the name to judge is the one inside it
  if (root !== undefined && Object.hasOwn(vars, root)) root = undefinedRoot(root, vars);
  if (root === undefined) return;
  // facts under Ansible's names (ansible_os_family ...) exist once a task gathers them
  if (runtime.has(root) || /^ansible_[a-z0-9_]+$/.test(root)) return;
  const guess = didYouMean(root, Object.keys(vars));
  throw new InputError(
    'TEMPLATE',
    `undefined variable "${root}" in when: ${[when].flat().join(' and ')}`,
    where,
    guess ? `did you mean "${guess}"?` : "define it in the inventory, in the play's vars, or with -e",
  );
}
