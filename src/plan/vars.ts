/**
 * Variable layers, lowest first: role defaults < inventory (group < host) < play vars <
 * role params in the playbook < -e extra vars. Values may be templates over other variables;
 * they are rendered against the merged set.
 */
import type { LoadedInventory } from '../inventory/load.ts';
import type { Host } from '../inventory/model.ts';
import { hostVars } from '../inventory/vars.ts';
import { hasTemplate, renderDeep } from '../template/render.ts';

const inventoryCache = new WeakMap<Host, Record<string, unknown>>();

export function inventoryVars(inv: LoadedInventory, host: Host): Record<string, unknown> {
  let vars = inventoryCache.get(host);
  if (!vars) {
    vars = hostVars(inv, host);
    inventoryCache.set(host, vars);
  }
  return vars;
}

/** Magic variables Ansible users expect: inventory_hostname, groups, group_names, hostvars. */
const groupsCache = new WeakMap<LoadedInventory, Record<string, string[]>>();

/** `groups`: every group's hosts. The inventory does not change during a run: built once. */
function groupsOf(inv: LoadedInventory): Record<string, string[]> {
  let groups = groupsCache.get(inv);
  if (!groups) {
    groups = {};
    for (const [name, g] of inv.data.groups) groups[name] = g.allHosts().map((h) => h.name);
    groupsCache.set(inv, groups);
  }
  return groups;
}

export function magicVars(inv: LoadedInventory, host: Host): Record<string, unknown> {
  const groups = groupsOf(inv);
  return {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0],
    group_names: host.groups
      .filter((g) => g.name !== 'all')
      .map((g) => g.name)
      .sort(),
    groups,
  };
}

function mentionsTemplate(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (Array.isArray(v)) return v.some(mentionsTemplate);
  if (v && typeof v === 'object') return Object.values(v).some(mentionsTemplate);
  return false;
}

/** Render variables that refer to other variables, a few levels deep (a = "{{ b }}", b = "{{ c }}"). */
export function resolveVars(vars: Record<string, unknown>): Record<string, unknown> {
  let out = vars;
  for (let pass = 0; pass < 5; pass++) {
    const pending = Object.entries(out).filter(([, v]) => mentionsTemplate(v));
    if (pending.length === 0) return out;
    const next = { ...out };
    for (const [k, v] of pending) {
      try {
        next[k] = renderDeep(v, out);
      } catch {
        // left as is: an error surfaces with its location when a step uses the value
      }
    }
    out = next;
  }
  return out;
}
