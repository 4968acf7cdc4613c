/**
 * A play's handlers flushed on a host: those notified in this run and, with durable handlers,
 * those an earlier run recorded on the host and never ran. Each runs as a task (runTask).
 */
import type { PlanNode } from '../plan/graph.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { answersToName } from './handler-choice.ts';
import type { HostEnv } from './host.ts';
import { checkRun } from './node-vars.ts';
import { handlerKey, playKey } from './pending-handlers.ts';
import { type NodeResult, type RunState, warnOn } from './state.ts';

export interface PlayHostState {
  /** Play handlers notified on this host, with the steps that triggered them. */
  notified: Map<string, string[]>;
}

export async function runFlush(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  playState: PlayHostState,
  /** Runs one handler as a task (nodes.ts runTask). */
  runHandler: (handler: TaskSpec) => Promise<NodeResult>,
): Promise<NodeResult> {
  let changed = false;
  const durable = run.options.durableHandlers;
  for (const handler of node.play.handlers) {
    const names = [...(answersToName(node.play, handler) ? [handler.name] : []), ...handler.listen];
    const keys = names.map((n) => handlerKey({ play: playKey(node.play) }, n));
    // notified by an earlier run that stopped before its handlers ran: runs now, whatever changes
    const earlier = durable ? (await host.pending.pendingFor(keys)).filter((e) => e.runId !== run.runId) : [];
    const because = [
      ...names.flatMap((n) => playState.notified.get(n) ?? []),
      ...earlier.map((e) => `pending from run ${e.runId} (${e.because})`),
    ];
    if (because.length === 0) continue;
    run.emit({
      type: 'handler',
      host: host.name,
      handler: handler.name,
      status: checkRun(run, node) ? 'would_change' : 'changed',
      because,
    });
    const r = await runHandler(handler);
    if (r.status === 'failed') return r;
    if (r.status === 'changed') changed = true;
    if (durable && !checkRun(run, node)) await host.pending.ran(keys, warnOn(run, host.name));
  }
  playState.notified.clear();
  return { status: changed ? 'changed' : 'ok' };
}
