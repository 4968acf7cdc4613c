/**
 * What `register` keeps of a skipped task and of a loop, in ansible-core 2.19's words
 * (executor/task_executor.py): the condition that was false, each item under its loop
 * variable's name, and the loop's summary message.
 */
import type { TaskSpec } from '../playbook/model.ts';
import { evaluateWhen } from '../template/expr.ts';

/** A task (or an item) its `when` ruled out: `falseCondition` is the condition that was false. */
export function skipResult(falseCondition: unknown): Record<string, unknown> {
  return {
    changed: false,
    skipped: true,
    skip_reason: 'Conditional result was False',
    ...(falseCondition !== undefined ? { false_condition: falseCondition } : {}),
  };
}

/** The condition of `when` that is false with these vars (asked again where only the verdict was kept). */
export function falseConditionOf(when: unknown, vars: Record<string, unknown>): unknown {
  try {
    return evaluateWhen(when, vars).falseCondition;
  } catch {
    return undefined;
  }
}

/** The keys an item's result gains: the item under the loop variable, and the index under index_var. */
export function itemKeys(task: TaskSpec, item: unknown, index: number): Record<string, unknown> {
  const loopVar = task.loopVar ?? 'item';
  return {
    [loopVar]: item,
    ansible_loop_var: loopVar,
    ...(task.indexVar ? { [task.indexVar]: index, ansible_index_var: task.indexVar } : {}),
  };
}

/** A loop's registered value from its items' results. */
export function loopResult(results: Record<string, unknown>[]): Record<string, unknown> {
  if (results.length === 0)
    return { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
  const skipped = results.every((r) => r.skipped === true);
  const failed = results.some((r) => r.failed === true);
  const changed = results.some((r) => r.changed === true);
  const msg = skipped ? 'All items skipped' : failed ? 'One or more items failed' : 'All items completed';
  return { results, skipped, changed, ...(failed ? { failed: true } : {}), msg };
}
