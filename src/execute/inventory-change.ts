/**
 * group_by and add_host applied to the run's inventory, as ansible-core 2.19's InventoryManager
 * does it (add_dynamic_group, add_dynamic_host), with its answer to "changed". What reads the
 * inventory is told: each host's variables and `groups`, the patterns of later plays (their
 * hosts are matched when they start, run.ts).
 */
import type { Group, Host } from '../inventory/model.ts';
import type { InventoryChange } from '../modules/types.ts';
import { forgetInventoryVars } from '../plan/vars.ts';
import type { RunState } from './state.ts';

function addGroup(run: RunState, name: string): { group: Group; added: boolean } {
  const data = run.inventory.data;
  const known = data.groups.get(name);
  if (known) return { group: known, added: false };
  // a group without parents goes under `all` when the inventory is reconciled, as in Ansible
  return { group: data.addGroup(name), added: true };
}

/** Applies the change for `hostName` (the host the task ran for); whether anything changed. */
export function applyInventoryChange(run: RunState, hostName: string, change: InventoryChange): boolean {
  const data = run.inventory.data;
  let changed = false;
  let touched: Host[] = [];
  if ('addGroup' in change) {
    const host = data.hosts.get(hostName) ?? data.getHost(hostName);
    if (!host) throw new Error(`${hostName} cannot be matched in inventory`);
    const { group } = addGroup(run, change.addGroup);
    for (const name of change.parents) {
      const parent = addGroup(run, name);
      if (parent.added) changed = true;
      if (!parent.group.children.includes(group) && parent.group !== group) {
        parent.group.addChild(group);
        changed = true;
        touched = group.allHosts();
      }
    }
    if (group.addHost(host)) changed = true;
    if (changed) data.reconcile();
    touched = [...touched, host];
  } else {
    const { name, groups, vars } = change.addHost;
    let host = data.hosts.get(name);
    if (!host) {
      host = data.addHost(name, 'all');
      changed = true;
    }
    const before = JSON.stringify(host.vars);
    for (const [k, v] of Object.entries(vars)) host.setVariable(k, v);
    if (JSON.stringify(host.vars) !== before) changed = true;
    for (const g of groups) {
      const { group, added } = addGroup(run, g);
      if (added) changed = true;
      if (group.addHost(host)) changed = true;
    }
    if (changed) data.reconcile();
    touched = [host];
  }
  if (changed) {
    forgetInventoryVars(run.inventory, touched);
    run.matcher.forget();
    run.inventoryChanged = true;
    for (const h of run.startedHosts()) h.forgetVars();
  }
  return changed;
}
