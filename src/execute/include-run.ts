/**
 * The two run-time parts of a dynamic include (src/playbook/include-task.ts): its gate, which
 * asks the include's own `when` once and keeps the answer for the included tasks, and a looped
 * include, whose tasks run once per item, in order, with the item in their variables.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { PlanNode } from '../plan/graph.ts';
import { taskSelected } from '../plan/targets.ts';
import { itemScope } from '../playbook/loops.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { blockFailedVar } from '../playbook/task-list.ts';
import { evaluateWhen } from '../template/expr.ts';
import { renderDeep } from '../template/render.ts';
import type { HostEnv } from './host.ts';
import { falseConditionOf, loopResult, skipResult } from './loop-results.ts';
import type { NodeResult, RunState } from './state.ts';

function includeStep(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  ran: boolean,
  vars: Record<string, unknown>,
  item?: unknown,
) {
  run.emit({
    type: 'step',
    host: host.name,
    node: node.id,
    task: task.name,
    module: task.module,
    status: ran ? 'ok' : 'skipped',
    changes: [],
    message: ran ? `included: ${shownFile(task.included, vars, task.includedFrom)}` : 'condition is false',
    item,
  });
}

/** What an include_tasks registers for a run of it (2.19: the file as written, the other arguments). */
function includeResult(task: TaskSpec, vars: Record<string, unknown>): Record<string, unknown> {
  let include: unknown = task.includeFile;
  try {
    include = renderDeep(task.includeFile, vars);
  } catch {
    // as written: the include itself fails on it
  }
  return { include, include_args: task.includeArgs ?? {} };
}

/** The file or role an include names, rendered as ansible-playbook's "included:" line shows it. */
function shownFile(included: string | undefined, vars: Record<string, unknown>, from: string[] = []): string {
  if (!included?.includes('{{')) return String(included);
  try {
    const name = String(renderDeep(included, vars));
    if (isAbsolute(name)) return name;
    return from.map((d) => resolve(d, name)).find((p) => existsSync(p)) ?? name;
  } catch {
    return included;
  }
}

/**
 * A task an include that did not happen (or a block that did not get there) left out on this
 * host: never run, so never reported.
 */
export function notIncluded(task: TaskSpec, vars: Record<string, unknown>): boolean {
  if (!task.includeGuards?.length) return false;
  try {
    return !evaluateWhen(task.includeGuards, vars).value;
  } catch {
    return false;
  }
}

/** include_tasks with its own `when`: asked here, once; the included tasks read the answer. */
export function runIncludeGate(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  vars: Record<string, unknown>,
): NodeResult {
  const holds = task.when === undefined || evaluateWhen(task.when, vars).value;
  // a head that only reports gates nothing: no variable to set (setting one re-resolves the host's)
  if (!task.reportsOnly) host.setVar(task.includeGate as string, holds);
  if (task.register)
    host.setVar(
      task.register,
      holds
        ? { changed: false, ...includeResult(task, vars) }
        : skipResult(falseConditionOf(task.when, vars)),
    );
  includeStep(run, host, node, task, holds, vars);
  return holds ? { status: 'ok' } : { status: 'skipped', reason: 'condition is false' };
}

/** Runs one included task (the `at`th of the file) with the iteration's variables above the host's. */
export type RunIncluded = (
  task: TaskSpec,
  iteration: Record<string, unknown>,
  at: number,
) => Promise<NodeResult>;

/**
 * A looped include_tasks / include_role: per item (its `when` asked with the item), every
 * included task the tags select, in order; a failure ends it, as it ends the host in Ansible.
 * A block's rescue inside starts each iteration unfailed.
 */
export async function runIncludeLoop(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  items: unknown[],
  vars: Record<string, unknown>,
  outer: Record<string, unknown>,
  runIncluded: RunIncluded,
): Promise<NodeResult> {
  const tasks = (task.includeLoop ?? []).filter((t) => taskSelected(node.play, t, run.options));
  const blocks = new Set(tasks.flatMap((t) => (t.rescueBlock === undefined ? [] : [t.rescueBlock])));
  // as ansible-core: the include's loop first (each item's `when`, its "included:" line, its
  // registered result), then the included tasks of each item that holds, in order
  const results: Record<string, unknown>[] = [];
  const runs: Array<{ index: number; item: unknown }> = [];
  for (const [index, item] of items.entries()) {
    const scope = itemScope(task, vars, item, index);
    const label = task.loopLabel === undefined ? item : renderDeep(task.loopLabel, scope);
    const holds = task.when === undefined || evaluateWhen(task.when, scope).value;
    includeStep(run, host, node, task, holds, scope, label);
    const loopVar = { ansible_loop_var: task.loopVar ?? 'item', item };
    results.push(
      holds
        ? { ...loopVar, ...includeResult(task, scope) }
        : { ...loopVar, ...skipResult(falseConditionOf(task.when, scope)) },
    );
    if (holds) runs.push({ index, item });
  }
  if (task.register) host.setVar(task.register, loopResult(results));
  let changed = false;
  const ran = runs.length > 0;
  for (const { index, item } of runs) {
    for (const b of blocks) host.setVar(blockFailedVar(b), false);
    const iteration = { ...outer, [task.loopVar ?? 'item']: item };
    if (task.indexVar) iteration[task.indexVar] = index;
    for (const [at, t] of tasks.entries()) {
      if (host.roleEnded(t.roleInstance)) continue;
      const r = await runIncluded(t, iteration, at);
      if (r.status === 'failed') return r;
      if (r.status === 'changed') changed = true;
      if (host.endedPlays.has(node.play.index)) return { status: changed ? 'changed' : 'ok' };
    }
  }
  if (!ran) return { status: 'skipped', reason: 'condition is false' };
  return { status: changed ? 'changed' : 'ok' };
}
