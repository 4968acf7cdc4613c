/**
 * A task's failures as nodes.ts reports them: one that happened before its step could run (a
 * template failing at run time), and the reason a node's end gives (hidden for no_log tasks).
 */
import type { PlanNode } from '../plan/graph.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { blockFailedVar } from '../playbook/task-list.ts';
import { UnreachableError } from '../transport/types.ts';
import type { HostEnv } from './host.ts';
import type { NodeResult, RunState } from './state.ts';
import type { StepOutcome } from './step-spec.ts';

/** The step event of a task that failed outside its step (a no_log task's message hidden); its error. */
function failedStep(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  message: string,
  item: unknown,
  marks: { ignored?: true; rescued?: true; unreachable?: true },
): { message: string } {
  const error = { message: task.noLog ? 'failed (details hidden: no_log)' : message };
  run.emit({
    type: 'step',
    host: host.name,
    node: node.id,
    task: task.name,
    module: task.module,
    status: 'failed',
    changes: [],
    error,
    item,
    ...marks,
  });
  return error;
}

/** A step that failed before it could run (its template): reported as the step's failure. */
export function templateFailure(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  message: string,
  item: unknown,
): StepOutcome {
  const ignored = task.ignoreErrors || undefined;
  const rescued = (!task.ignoreErrors && task.rescueBlock !== undefined) || undefined;
  const error = failedStep(run, host, node, task, message, item, {
    ...(ignored ? { ignored } : {}),
    ...(rescued ? { rescued } : {}),
  });
  const result = { failed: true, changed: false, msg: error.message };
  return ignored || rescued
    ? { status: 'ok', changed: false, result }
    : { status: 'failed', changed: false, result, error };
}

/** Why a task failed, as the node's end reports it: a no_log task's message is never shown. */
export function failureReason(task: TaskSpec, error?: { message: string }): string | undefined {
  return task.noLog ? 'failed (details hidden: no_log)' : error?.message;
}

/** A failed step inside a block with a rescue: the block's rest is skipped, its rescue runs (Ansible's names for what failed). */
export function rescueBlockFailed(host: HostEnv, task: TaskSpec, result: Record<string, unknown>): boolean {
  if (task.rescueBlock === undefined || task.ignoreErrors || result.failed !== true) return false;
  host.setVar(blockFailedVar(task.rescueBlock), true);
  host.setVar('ansible_failed_task', { name: task.name });
  host.setVar('ansible_failed_result', result);
  return true;
}

/**
 * A loop whose items could not be made when the task ran (a with_file of a file that is not
 * there): the task's failure, as in Ansible, which ignore_errors and a rescue see.
 */
export function loopFailure(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  message: string,
): NodeResult {
  const outcome = templateFailure(run, host, node, task, message, undefined);
  if (task.register) host.setVar(task.register, outcome.result);
  if (outcome.status === 'failed') return { status: 'failed', reason: failureReason(task, outcome.error) };
  rescueBlockFailed(host, task, outcome.result);
  return { status: 'ok' };
}

/**
 * `ignore_unreachable`: a host unreachable in this task is, as in Ansible, an ignored failure
 * registered with `unreachable: true`; the host goes on and the next task connects again (the
 * host may be back).
 */
export async function ignoringUnreachable(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  item: unknown,
  step: () => Promise<StepOutcome>,
): Promise<StepOutcome> {
  if (!task.ignoreUnreachable) return step();
  try {
    return await step();
  } catch (e) {
    if (!(e instanceof UnreachableError)) throw e;
    await run.hostEnv(e.host).transport.reset?.();
    const error = failedStep(run, host, node, task, e.message, item, { ignored: true, unreachable: true });
    return {
      status: 'ok',
      changed: false,
      result: { changed: false, msg: error.message, unreachable: true },
    };
  }
}
