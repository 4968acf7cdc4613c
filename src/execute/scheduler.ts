/**
 * Runs the plan: a node starts when everything it depends on has finished, at most `forks`
 * at a time, ready nodes in a deterministic order (play, item, host order). A failed node
 * fails its host and skips what depends on it; other hosts go on unless the play says
 * otherwise (any_errors_fatal, max_fail_percentage).
 */
import { InputError } from '../errors.ts';
import type { PlanNode, PlayTargets } from '../plan/graph.ts';
import type { AnyRole } from '../roles/define.ts';
import { UnreachableError } from '../transport/types.ts';
import { FailurePolicy } from './failure-policy.ts';
import { HostEnv } from './host.ts';
import { type PlayHostState, runNode } from './nodes.ts';
import { ReadyQueue } from './ready-queue.ts';
import type { NodeResult, RunState } from './state.ts';

export interface ExecutionResult {
  results: Map<string, NodeResult>;
  hosts: Map<string, HostEnv>;
  /** any_errors_fatal or max_fail_percentage stopped the run: nothing later runs. */
  aborted: boolean;
}

const readOnly = (n: PlanNode) => (n.readOnly ? { readOnly: true as const } : {});

export function executePlan(
  run: RunState,
  nodes: PlanNode[],
  targets: PlayTargets[],
  roles: Map<string, AnyRole>,
  searchDirs: string[],
  /** The hosts' state from an earlier segment of the run (segments.ts): kept, not started anew. */
  hosts = new Map<string, HostEnv>(),
): Promise<ExecutionResult> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const results = new Map<string, NodeResult>();
  const carried = new Set(hosts.keys());
  const playStates = new Map<string, PlayHostState>();
  const queue = new ReadyQueue(nodes);
  let running = 0;
  const policy = new FailurePolicy(targets, byId, results);

  const nodesOf = new Map<string, PlanNode[]>();
  for (const n of nodes) {
    const list = nodesOf.get(n.host);
    if (list) list.push(n);
    else nodesOf.set(n.host, [n]);
  }
  const hostEnv = (name: string) => {
    let h = hosts.get(name);
    if (h && carried.delete(name)) h.nodes = nodesOf.get(name) ?? [];
    if (!h) {
      hosts.set(name, (h = new HostEnv(name, run.connect(name), nodesOf.get(name))));
      if (run.options.durableHandlers) h.pending.readSoon();
    }
    return h;
  };

  run.hostEnv = hostEnv;
  run.hostEnvIfStarted = (name) => hosts.get(name);
  run.startedHosts = () => hosts.values();

  const execute = async (node: PlanNode): Promise<NodeResult> => {
    const host = hostEnv(node.host);
    const skip = policy.skipBefore(node, host);
    if (skip) return skip;
    run.emit({ type: 'node_start', id: node.id, host: node.host, item: node.label, ...readOnly(node) });
    const key = `${node.play.index}@${node.host}`;
    let playState = playStates.get(key);
    if (!playState) playStates.set(key, (playState = { notified: new Map() }));
    try {
      return await runNode(run, host, node, roles, playState, searchDirs);
    } catch (e) {
      if (e instanceof UnreachableError) {
        host.unreachable = true;
        run.hostsLost = true;
        run.emit({ type: 'unreachable', host: node.host, message: e.message });
        return { status: 'unreachable', reason: e.message };
      }
      if (e instanceof InputError) return { status: 'failed', reason: e.describe() };
      if (process.env.QUORUM_DEBUG) throw e;
      return { status: 'failed', reason: e instanceof Error ? e.message : String(e) };
    }
  };

  return new Promise((resolve, reject) => {
    const pump = () => {
      for (const node of queue.take(run.options.forks - running)) start(node);
      if (running === 0 && queue.empty) resolve({ results, hosts, aborted: policy.aborted !== undefined });
    };
    const start = (node: PlanNode) => {
      running++;
      execute(node)
        .then((r) => {
          results.set(node.id, r);
          if (r.status === 'failed') {
            policy.failed(node, hostEnv(node.host));
            run.hostsLost = true;
          }
          if (r.status === 'unreachable') policy.unreachable(node);
          run.emit({
            type: 'node_end',
            id: node.id,
            host: node.host,
            item: node.label,
            status: r.status,
            reason: r.reason,
            ...(r.blocked ? { blocked: true as const } : {}),
            ...readOnly(node),
          });
          running--;
          queue.finished(node);
          pump();
        })
        .catch(reject);
    };
    pump();
  });
}
