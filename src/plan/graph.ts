/**
 * The plan: a graph of (host, play item) nodes. A host runs its nodes in playbook order;
 * across hosts a node waits only for what it needs: a role's `needs`, a play's `serial`
 * batches, or a play-level `barrier`. Everything else runs in parallel.
 */
import { InputError } from '../errors.ts';
import type { Play, PlayItem, TaskSpec } from '../playbook/model.ts';
import { taskMentions } from '../playbook/task-mentions.ts';

export interface PlanNode {
  id: string;
  host: string;
  play: Play;
  item: PlayItem | { kind: 'flush' };
  /** Position used to start ready nodes in a deterministic order. */
  order: [number, number, number];
  deps: Set<string>;
  label: string;
  /** At most `limit` nodes with the same key run at once, whatever --forks says. */
  throttle?: { key: string; limit: number };
  /** run_once: the nodes that share one run (a serial batch's nodes of the task) share this key. */
  onceKey?: string;
  /** A host outside --limit that a limited host's role needs: it is read (a check run), never changed. */
  readOnly?: boolean;
  /**
   * Among deps, those that only order this node after another host's (run_once's first host, a
   * group_by or clear_host_errors every host must be past): what they ended in does not skip it.
   */
  orderOnly?: Set<string>;
  /** meta: end_play / end_batch: the hosts of its batch, the first of which decides for all. */
  batch?: readonly string[];
}

export interface PlayTargets {
  play: Play;
  /** Hosts in play order, split into serial batches. */
  batches: string[][];
  /** Items this play runs (after tag filtering), by index into play.items. */
  items: number[];
}

export function itemLabel(item: PlanNode['item']): string {
  if (item.kind === 'role') return `role ${item.ref.role}`;
  if (item.kind === 'task') return item.task.name;
  return 'handlers';
}

/** Split hosts into Ansible serial batches (numbers, percentages, a list whose last entry repeats). */
export function serialBatches(hosts: string[], serial: Array<number | string> | undefined): string[][] {
  if (!serial || hosts.length === 0) return hosts.length ? [hosts] : [];
  const sizes = serial.map((s) => {
    const str = String(s);
    const n = str.endsWith('%') ? Math.floor((hosts.length * Number(str.slice(0, -1))) / 100) : Number(str);
    return Math.max(1, n);
  });
  const batches: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(k, sizes.length - 1)];
    batches.push(hosts.slice(i, i + size));
    i += size;
    k++;
  }
  return batches;
}

/**
 * A task's or role reference's `throttle` limits that play item; a role's own `throttle`
 * (etcd-join: 1) limits the role wherever it runs. The smaller limit wins.
 */
function throttleOf(
  item: PlanNode['item'],
  key: string,
  roleThrottle: (role: string) => number | undefined,
): PlanNode['throttle'] {
  if (item.kind === 'flush') return undefined;
  const own = item.kind === 'task' ? item.task.throttle : item.ref.throttle;
  const role = item.kind === 'role' ? roleThrottle(item.ref.role) : undefined;
  if (role !== undefined && (own === undefined || role <= own))
    return { key: `role ${item.kind === 'role' ? item.ref.role : ''}`, limit: role };
  return own === undefined ? undefined : { key, limit: own };
}

export function buildGraph(
  targets: PlayTargets[],
  hostOrder: string[],
  needsOf: (role: string) => string[],
  roleThrottle: (role: string) => number | undefined = () => undefined,
): PlanNode[] {
  const nodes: PlanNode[] = [];
  const lastOfHost = new Map<string, string>();
  const hostIndex = new Map(hostOrder.map((h, i) => [h, i]));
  const byRole = new Map<string, PlanNode[]>();
  const allSoFar: PlanNode[] = [];
  // the nodes of meta: clear_host_errors so far: the plays after them wait for them on every host
  const clearing: PlanNode[] = [];

  for (const t of targets) {
    const play = t.play;
    const items: Array<PlanNode['item']> = t.items.map((i) => play.items[i]);
    if (play.handlers.length) items.push({ kind: 'flush' });
    let previousBatch: PlanNode[] = [];
    const beforePlay = [...allSoFar];
    let previousItemNodes: PlanNode[] = [];
    // any_errors_fatal / max_fail_percentage are judged per item in ansible-core's linear
    // strategy: no host of the batch starts the next item before all are done with this one,
    // so a failure stops the others where Ansible stops them
    // (a task's or block's any_errors_fatal puts the whole play in step: simpler, and the same results)
    const lockstep =
      play.anyErrorsFatal ||
      play.maxFailPercentage !== undefined ||
      play.items.some((i) => i.kind === 'task' && i.task.anyErrorsFatal);
    for (const batch of t.batches) {
      const batchNodes: PlanNode[] = [];
      // after a meta end_play / end_batch, no host goes on before every host of the batch is there
      let ending: PlanNode[] = [];
      items.forEach((item, itemIdx) => {
        const itemNodes: PlanNode[] = [];
        const ends = item.kind === 'task' && item.task.endPlay !== undefined;
        // ansible-core's linear strategy has every host of the batch done with the task before
        // it when the first host asks the meta's condition: a slower host must not be cut short
        const batchSoFar = ends ? batch.map((h) => lastOfHost.get(h)).filter((id) => id !== undefined) : [];
        // the same for every host of the batch: asked once, not per host (20,000 nodes on 1,000 hosts)
        const waitsForBatch = changesInventory(items[itemIdx - 1]) || namesLiveHosts(item, play);
        for (const host of batch) {
          const id = `${play.index}.${itemIdx}@${host}`;
          const node: PlanNode = {
            id,
            host,
            play,
            item,
            order: [play.index, itemIdx, hostIndex.get(host) ?? 0],
            deps: new Set(),
            label: itemLabel(item),
            throttle: throttleOf(item, `${play.index}.${itemIdx}`, roleThrottle),
          };
          const prev = lastOfHost.get(host);
          if (prev) node.deps.add(prev);
          if (itemIdx === 0) for (const n of previousBatch) node.deps.add(n.id);
          // a clear_host_errors of an earlier play: its failed hosts run again only once it has run
          if (itemIdx === 0) for (const n of clearing) after(node, n.id);
          if (play.barrier) {
            if (itemIdx === 0) for (const n of beforePlay) node.deps.add(n.id);
            else for (const n of previousItemNodes) node.deps.add(n.id);
          } else if (lockstep && itemIdx > 0) for (const n of previousItemNodes) node.deps.add(n.id);
          else if (waitsForBatch) for (const n of previousItemNodes) after(node, n.id);
          for (const n of ending) node.deps.add(n.id);
          // run_once runs on the batch's first host, as in Ansible: the others wait for its turn
          if (item.kind === 'task' && item.task.runOnce) {
            if (itemNodes.length) after(node, itemNodes[0].id);
            // once per serial batch, as Ansible: the batch's first node is the one that runs
            node.onceKey = itemNodes[0]?.id ?? id;
          }
          // a looped include holding run_once: its hosts one after the other, so that the first
          // host of those that include an item runs it, as in Ansible (run-once.ts)
          if (item.kind === 'task' && holdsRunOnce(item.task) && itemNodes.length)
            after(node, itemNodes[itemNodes.length - 1].id);
          if (ends) {
            node.batch = batch;
            // the batch's first host decides; the others read its decision
            if (itemNodes.length) node.deps.add(itemNodes[0].id);
            else for (const id of batchSoFar) node.deps.add(id);
          }
          lastOfHost.set(host, id);
          itemNodes.push(node);
        }
        previousItemNodes = itemNodes;
        ending = ends ? itemNodes : [];
        batchNodes.push(...itemNodes);
      });
      previousBatch = batchNodes;
      clearing.push(...batchNodes.filter((n) => n.item.kind === 'task' && n.item.task.clearHostErrors));
      nodes.push(...batchNodes);
      allSoFar.push(...batchNodes);
      for (const n of batchNodes) {
        if (n.item.kind === 'role') {
          const list = byRole.get(n.item.ref.role) ?? [];
          list.push(n);
          byRole.set(n.item.ref.role, list);
        }
      }
    }
  }
  // role needs: wait for every node of the needed role, wherever it is scheduled
  for (const n of nodes) {
    if (n.item.kind !== 'role') continue;
    for (const need of needsOf(n.item.ref.role)) {
      for (const dep of byRole.get(need) ?? []) if (dep.id !== n.id) n.deps.add(dep.id);
    }
  }
  checkCycles(nodes);
  return nodes;
}

/** A looped include with a run_once task among its included ones, at any depth. */
const holdsRunOnce = (task: TaskSpec): boolean =>
  (task.includeLoop ?? []).some((t) => t.runOnce || holdsRunOnce(t));

/** `node` starts after `id`, whatever `id` ends in. */
function after(node: PlanNode, id: string) {
  node.deps.add(id);
  (node.orderOnly ??= new Set()).add(id);
}

/**
 * group_by and add_host: in Ansible's linear strategy every host is done with the task before
 * any starts the next, so what comes after sees the grown inventory (`groups`) whole.
 */
/**
 * A task naming ansible_play_hosts / ansible_play_batch reads which hosts failed so far: as in
 * ansible-core's linear strategy, it starts once every host of the batch is done with the task
 * before it, so the list is the same for every host.
 */
function namesLiveHosts(item: PlanNode['item'], play: Play): boolean {
  if (item.kind !== 'task') return false;
  return taskMentions(item.task, play.vars, play.dir ? [play.dir] : [], (text) => text.playHosts, false);
}

function changesInventory(item: PlanNode['item'] | undefined): boolean {
  return item?.kind === 'task' && (item.task.module === 'group_by' || item.task.module === 'add_host');
}

/** Kahn's algorithm; whatever is left sits on a cycle, which we name node by node. */
export function checkCycles(nodes: PlanNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  for (const n of nodes)
    for (const d of n.deps) if (byId.has(d)) indegree.set(n.id, (indegree.get(n.id) ?? 0) + 1);
  const dependents = new Map<string, string[]>();
  for (const n of nodes)
    for (const d of n.deps) {
      const list = dependents.get(d);
      if (list) list.push(n.id);
      else dependents.set(d, [n.id]);
    }
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  let seen = 0;
  // a read index, not shift(): shifting a queue of thousands is quadratic
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head];
    seen++;
    for (const m of dependents.get(id) ?? []) {
      indegree.set(m, indegree.get(m)! - 1);
      if (indegree.get(m) === 0) queue.push(m);
    }
  }
  if (seen === nodes.length) return;
  const stuck = new Set(nodes.filter((n) => indegree.get(n.id)! > 0).map((n) => n.id));
  // walk deps inside the stuck set until a node repeats: that is the cycle
  const path: string[] = [];
  let cur = [...stuck][0];
  while (!path.includes(cur)) {
    path.push(cur);
    cur = [...byId.get(cur)!.deps].find((d) => stuck.has(d))!;
  }
  const cycle = [...path.slice(path.indexOf(cur)), cur].reverse();
  const describe = (id: string) => `${byId.get(id)!.label} on ${byId.get(id)!.host}`;
  throw new InputError(
    'PLAN_CYCLE',
    `the plan has a cycle: ${cycle.map(describe).join(' -> ')}`,
    byId.get(cur)!.play.location,
    "check the roles' `needs` and the order of plays",
  );
}
