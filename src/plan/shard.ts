/**
 * `--shard K/N`: one of N controllers runs a deterministic slice of the play's hosts, as test
 * runners shard (jest, playwright: K from 1). A host's slice follows from its name alone (hosts
 * ranked by a hash of their names, dealt round-robin), so it is the same on every controller
 * whatever the inventory's order, and slices differ in size by one host at most. A plan that
 * cannot be cut between hosts is refused before any host is touched: a node that waits for
 * another host's (a role's needs, serial batches, a barrier), a task that reaches past its own
 * host (run_once, delegate_to). Such plays run in one unsharded run.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.ts';
import { withIncluded } from '../playbook/task-scope.ts';
import type { PlanNode, PlayTargets } from './graph.ts';

export interface Shard {
  /** 1 to count */
  index: number;
  count: number;
}

/** What a shard's run_start says: which slice, and of what (shards of one run share `plan`). */
export interface ShardInfo extends Shard {
  /** sha256 of the playbook and every host of the plan: the same in each slice of one run */
  plan: string;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new InputError(
      'USAGE',
      `--shard takes K/N, this controller's slice K of N (1 <= K <= N), got "${text}"`,
      undefined,
      'a Kubernetes Indexed Job: --shard $((JOB_COMPLETION_INDEX + 1))/N',
    );
  return { index, count };
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** Host -> its slice (1..count). */
export function slices(hosts: string[], count: number): Map<string, number> {
  const ranked = [...new Set(hosts)]
    .map((h) => [digest(h), h] as const)
    .sort(([a, ha], [b, hb]) => (a < b ? -1 : a > b ? 1 : ha < hb ? -1 : 1));
  return new Map(ranked.map(([, h], i) => [h, (i % count) + 1]));
}

export function shardInfo(shard: Shard, playbook: string, hosts: string[]): ShardInfo {
  return { ...shard, plan: digest(JSON.stringify([playbook, [...new Set(hosts)].sort()])) };
}

/** The first reason this plan cannot be cut between hosts, as an error at its place. */
export function refuseCrossing(nodes: PlanNode[], targets: PlayTargets[]): void {
  for (const { play, batches } of targets) {
    const keyword = batches.length > 1 ? 'serial' : play.barrier ? 'barrier' : undefined;
    if (keyword)
      throw new InputError(
        'SHARD',
        `--shard: play "${play.name}" has ${keyword}, which orders its hosts against each other; slices run apart`,
        play.location,
        HINT,
      );
  }
  // a task's own reach first: run_once also orders hosts (the first host runs it), said as such
  for (const { play } of targets)
    for (const t of withIncluded([
      ...play.items.flatMap((i) => (i.kind === 'task' ? [i.task] : [])),
      ...play.handlers,
    ])) {
      const reach = t.runOnce
        ? 'run_once'
        : t.delegateTo !== undefined
          ? `delegate_to: ${t.delegateTo}`
          : undefined;
      if (reach)
        throw new InputError(
          'SHARD',
          `--shard: task "${t.name}" has ${reach}, which reaches past its own host: every slice would run it`,
          t.location,
          HINT,
        );
    }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes)
    for (const d of n.deps) {
      const dep = byId.get(d);
      if (dep && dep.host !== n.host)
        throw new InputError(
          'SHARD',
          `--shard: ${n.label} on ${n.host} waits for ${dep.label} on ${dep.host} (its needs); slices run apart`,
          where(n),
          HINT,
        );
    }
}

const HINT =
  'run such plays in one unsharded run (a separate playbook), and shard the plays whose hosts stand alone';

function where(n: PlanNode) {
  return n.item.kind === 'role'
    ? n.item.ref.location
    : n.item.kind === 'task'
      ? n.item.task.location
      : n.play.location;
}

/** This controller's part of the plan: its hosts' nodes, its hosts in each play's targets. */
export function slicePlan(
  shard: Shard,
  nodes: PlanNode[],
  targets: PlayTargets[],
  playbook: string,
): { nodes: PlanNode[]; targets: PlayTargets[]; info: ShardInfo } {
  const all = [...new Set(nodes.map((n) => n.host))];
  if (shard.count > 1) refuseCrossing(nodes, targets);
  const slice = slices(all, shard.count);
  const mine = (host: string) => slice.get(host) === shard.index;
  return {
    nodes: nodes.filter((n) => mine(n.host)),
    targets: targets.map((t) => ({
      ...t,
      batches: t.batches.map((b) => b.filter(mine)).filter((b) => b.length),
    })),
    info: shardInfo(shard, playbook, all),
  };
}
