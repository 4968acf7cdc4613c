/** The meta tasks that are steps of their own: end_host, end_play / end_batch, end_role, refresh_inventory. */
import { loadInventory } from '../inventory/load.ts';
import { inventoryList } from '../inventory/render.ts';
import type { PlanNode } from '../plan/graph.ts';
import type { TaskSpec } from '../playbook/model.ts';
import type { HostEnv } from './host.ts';
import type { NodeResult, RunState } from './state.ts';

/** A meta task's step: it changes nothing, it says what it did (or, failed, why not). */
export function metaStep(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  task: TaskSpec,
  message: string,
  failed = false,
) {
  run.emit({
    type: 'step',
    host: host.name,
    node: node.id,
    task: task.name,
    module: 'meta',
    status: failed ? 'failed' : 'ok',
    changes: [],
    ...(failed ? { error: { message } } : { message }),
  });
}

/** meta: end_host, as ansible-core's PlayIterator.end_host: the host is done with this play, not failed. */
export function endHost(run: RunState, host: HostEnv, node: PlanNode, task: TaskSpec): NodeResult {
  host.endedPlays.set(node.play.index, 'end_host');
  run.hostsLost = true;
  metaStep(run, host, node, task, `ending play for ${host.name}`);
  return { status: 'ok', reason: 'meta: end_host' };
}

/**
 * meta: end_play / end_batch, decided by the batch's first host (its condition true: this
 * function runs there); every host of the batch reads that decision on its own node, which the
 * graph makes wait for the first host's. Ended, the play's (or batch's) later nodes are skipped,
 * its handlers among them, as in ansible-core.
 */
export function endPlay(run: RunState, host: HostEnv, node: PlanNode, task: TaskSpec): NodeResult {
  const batch = node.batch ?? [host.name];
  const decider = host.name === batch[0];
  if (decider) run.endings.add(node.id);
  else if (!run.endings.has(`${node.id.split('@')[0]}@${batch[0]}`))
    return { status: 'ok', reason: 'the play goes on' };
  if (task.endPlay === 'play') run.endedPlays.add(node.play.index);
  host.endedPlays.set(node.play.index, `end_${task.endPlay}`);
  if (decider)
    metaStep(
      run,
      host,
      node,
      task,
      task.endPlay === 'play' ? 'ending the play for every host' : `ending the batch (${batch.join(', ')})`,
    );
  return { status: 'ok', reason: `meta: end_${task.endPlay}` };
}

/** meta: end_role: the rest of that use of the role is skipped for this host (its handlers still run). */
export function endRole(run: RunState, host: HostEnv, node: PlanNode, task: TaskSpec): NodeResult {
  host.endedRoles.add(task.roleInstance as number);
  metaStep(run, host, node, task, 'ending the role for this host');
  return { status: 'ok', reason: 'meta: end_role' };
}

/**
 * meta: refresh_inventory: the inventory's sources are read again. quorum plans every play's
 * hosts before the run, so an inventory that changed (a host or group added, a variable) cannot
 * be taken on mid-run: the step fails and says so, where Ansible would go on with the new one.
 */
export function refreshInventory(run: RunState, host: HostEnv, node: PlanNode, task: TaskSpec): NodeResult {
  const fail = (why: string): NodeResult => {
    const message = `meta: refresh_inventory: ${why}`;
    metaStep(run, host, node, task, message, true);
    return { status: 'failed', reason: message };
  };
  let now: string;
  try {
    now = JSON.stringify(inventoryList(loadInventory(run.inventorySources)));
  } catch (e) {
    return fail(`the inventory no longer loads: ${(e as Error).message}`);
  }
  if (now !== JSON.stringify(inventoryList(run.inventory)))
    return fail(
      'the inventory changed since the run began; quorum plans the hosts of every play before the run, so run the playbook again to use it',
    );
  metaStep(run, host, node, task, 'inventory successfully refreshed (unchanged)');
  return { status: 'ok', reason: 'meta: refresh_inventory' };
}

/**
 * meta: clear_host_errors, as 2.19's linear strategy: every failed host of the play is no longer
 * failed for the plays after this one (it sits out the rest of this play), and the run's exit
 * code no longer counts its failure; the recap still does. The next play's nodes wait for this
 * meta on every host of the play (plan/graph.ts), so a failed host is not skipped past it first.
 */
export function clearHostErrors(run: RunState, host: HostEnv, node: PlanNode, task: TaskSpec): NodeResult {
  for (const name of run.playHostsAll.get(node.play.index) ?? []) {
    const h = run.hostEnvIfStarted(name);
    if (!h?.failed) continue;
    h.errorsClearedIn = node.play.index;
  }
  metaStep(run, host, node, task, 'cleared host errors');
  return { status: 'ok', reason: 'meta: clear_host_errors' };
}
