/** The variables a plan node sees on its host, and whether the node only reads. */
import type { PlanNode } from '../plan/graph.ts';
import {
  inventoryVars,
  magicVars,
  optionVars,
  playMagicVars,
  resolveVars,
  roleNameVars,
} from '../plan/vars.ts';
import type { HostEnv } from './host.ts';
import type { RunState } from './state.ts';

/** A check run, or a node outside --limit that is only read: nothing is changed. */
export const checkRun = (run: RunState, node: PlanNode) => run.options.check || node.readOnly === true;

export function nodeVars(run: RunState, host: HostEnv, node: PlanNode): Record<string, unknown> {
  const vars = host.varsFor(node.play.index, () => {
    const inv = run.inventory.data.hosts.get(host.name) ?? run.inventory.data.getHost(host.name)!;
    const hostsAll = run.playHostsAll.get(node.play.index) ?? [];
    return resolveVars({
      ...inventoryVars(run.inventory, inv),
      ...magicVars(run.inventory, inv),
      ...optionVars(run.options),
      ...playMagicVars(node.play, hostsAll, batchOf(run, node.play.index, host.name) ?? hostsAll),
      ansible_check_mode: checkRun(run, node),
      ...node.play.vars,
      ...host.runtimeVars,
      ...run.options.extraVars,
    });
  });
  const live = { ...playHostsNow(run, node, host.name), ...includedRoleNames(node) };
  return Object.keys(live).length ? { ...vars, ...live } : vars;
}

function batchOf(run: RunState, play: number, host: string): string[] | undefined {
  return run.playBatches.get(play)?.find((b) => b.includes(host));
}

/**
 * ansible_play_hosts and ansible_play_batch without the hosts ansible-core's play._removed_hosts
 * holds: failed (in this play or before, unless a clear_host_errors let it go on), unreachable,
 * ended by meta: end_host in this batch. Worked out only once a host is lost: on most runs none is.
 */
function playHostsNow(run: RunState, node: PlanNode, self: string): Record<string, unknown> | undefined {
  if (!run.hostsLost) return undefined;
  const play = node.play.index;
  const batchHosts = batchOf(run, play, self) ?? [];
  const removed = (name: string) => {
    const h = run.hostEnvIfStarted(name);
    if (!h) return false;
    const cleared = h.errorsClearedIn !== undefined && play > h.errorsClearedIn;
    // each serial batch runs a fresh copy of the play: an end_host counts in its own batch only
    const ended = h.endedPlays.get(play) === 'end_host' && batchHosts.includes(name);
    return h.unreachable || (h.failed && !cleared) || ended;
  };
  const hosts = (run.playHostsAll.get(play) ?? []).filter((h) => !removed(h));
  const batch = batchHosts.filter((h) => !removed(h));
  return { ansible_play_hosts: hosts, ansible_play_batch: batch, play_hosts: batch };
}

/** A role an include_role read before this task joins the play's roles (ansible-core's play.roles). */
function includedRoleNames(node: PlanNode): Record<string, unknown> | undefined {
  const names = node.play.roleNames;
  const seq = node.item.kind === 'task' ? node.item.task.seq : undefined;
  if (!names?.included.length || seq === undefined) return undefined;
  const met = names.included.filter((i) => i.after < seq);
  if (!met.length) return undefined;
  return roleNameVars(
    [...new Set([...names.play, ...met.map((i) => i.role)])],
    [...new Set([...names.dependent, ...met.flatMap((i) => i.dependencies)])],
  );
}
