/**
 * A check run's loop whose items are known only after apply (`loop: "{{ r.stdout_lines }}"` of
 * a command a check run does not run): the task is a prediction, as a step whose parameters are
 * known after apply is. What it registers is known after apply, and every later step on the host
 * may depend on it.
 */
import type { PlanNode } from '../plan/graph.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { Unknown } from '../template/unknown.ts';
import type { HostEnv } from './host.ts';
import { ANYTHING } from './maybe.ts';
import type { NodeResult, RunState } from './state.ts';

export function unknownLoop(run: RunState, host: HostEnv, node: PlanNode, task: TaskSpec): NodeResult {
  host.predictedScopes.push(ANYTHING);
  run.emit({
    type: 'step',
    host: host.name,
    node: node.id,
    task: task.name,
    module: task.module,
    status: 'would_change',
    changes: [{ summary: `${task.name}: loop known after apply` }],
    prediction: true,
    message: 'known after apply: the items of its loop come from a value an earlier step gives when it runs',
  });
  if (task.register) host.setVar(task.register, new Unknown(`loop of "${task.name}"`));
  return { status: 'changed' };
}
