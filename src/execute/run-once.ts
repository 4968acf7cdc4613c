/**
 * run_once: the batch's first host runs the task; every other host of the batch waits for that
 * result and gets its registered value, as in Ansible (once per serial batch). In a looped
 * include, once per item: ansible-core runs the hosts that included the same item together
 * (IncludedFile groups them by their item's variables) and the run_once task on the first.
 */
import type { PlanNode } from '../plan/graph.ts';
import type { TaskSpec } from '../playbook/model.ts';
import type { HostEnv } from './host.ts';
import type { NodeResult, RunState } from './state.ts';

export async function runOnce(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  /** Runs the task on this host (nodes.ts runTask). */
  execute: () => Promise<NodeResult>,
  /** A looped include's iteration: which included task, and its item's variables. */
  included?: { at: number; iteration: Record<string, unknown> },
): Promise<NodeResult> {
  const batch = node.onceKey ?? node.id.slice(0, node.id.lastIndexOf('@'));
  const key = included ? `${batch}|${included.at}|${JSON.stringify(included.iteration)}` : batch;
  const first = run.once.get(key);
  if (!first) {
    const mine = execute().then((result) => ({
      result,
      host: host.name,
      registered: task.register ? host.runtimeVars[task.register] : undefined,
    }));
    run.once.set(key, mine);
    return (await mine).result;
  }
  const done = await first;
  if (task.register) host.setVar(task.register, done.registered);
  // a run_once include happened on the first host only: not here
  if (task.includeGate) host.setVar(task.includeGate, false);
  if (done.result.status === 'failed')
    return { status: 'failed', reason: `run_once task "${task.name}" failed on ${done.host}` };
  return { status: 'ok', reason: `ran once, on ${done.host}` };
}
