/** The variables a plan node sees on its host, and whether the node only reads. */
import type { PlanNode } from '../plan/graph.ts';
import { inventoryVars, magicVars, optionVars, playMagicVars, resolveVars } from '../plan/vars.ts';
import type { HostEnv } from './host.ts';
import type { RunState } from './state.ts';

/** A check run, or a node outside --limit that is only read: nothing is changed. */
export const checkRun = (run: RunState, node: PlanNode) => run.options.check || node.readOnly === true;

export function nodeVars(run: RunState, host: HostEnv, node: PlanNode): Record<string, unknown> {
  return host.varsFor(node.play.index, () => {
    const inv = run.inventory.data.hosts.get(host.name) ?? run.inventory.data.getHost(host.name)!;
    return resolveVars({
      ...inventoryVars(run.inventory, inv),
      ...magicVars(run.inventory, inv),
      ...optionVars(run.options),
      ...playMagicVars(node.play, run.playHostsAll.get(node.play.index) ?? []),
      ansible_check_mode: checkRun(run, node),
      ...node.play.vars,
      ...host.runtimeVars,
      ...run.options.extraVars,
    });
  });
}
