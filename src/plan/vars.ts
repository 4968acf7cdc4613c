/**
 * Variable layers, lowest first: role defaults < inventory (group < host) < play vars <
 * role params in the playbook < -e extra vars. Values may be templates over other variables;
 * they are rendered against the merged set.
 */
import type { LoadedInventory } from '../inventory/load.ts';
import type { Host } from '../inventory/model.ts';
import { hostVars } from '../inventory/vars.ts';
import type { Play } from '../playbook/model.ts';
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

/** group_by or add_host changed these hosts' groups (or added them): their variables and `groups` are read again. */
export function forgetInventoryVars(inv: LoadedInventory, hosts: Host[]) {
  groupsCache.delete(inv);
  for (const h of hosts) inventoryCache.delete(h);
}

/** `groups`: every group's hosts, built once per state of the inventory. */
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

/** The ansible-core release quorum's Ansible content is held to (the differential tests' reference). */
export const ANSIBLE_REFERENCE = '2.19.11';

export interface CommandLine {
  diff?: boolean;
  forks?: number;
  tags?: string[];
  skipTags?: string[];
  limit?: string;
  verbose?: number;
}

/**
 * Ansible's option variables (utils/vars.py load_options_vars): the version and what the command
 * line asked for. `ansible_forks` only when --forks bounds the run (quorum's default has no bound).
 */
export function optionVars(o: CommandLine): Record<string, unknown> {
  const [major, minor, revision] = ANSIBLE_REFERENCE.split('.').map(Number);
  return {
    ansible_version: { string: ANSIBLE_REFERENCE, full: ANSIBLE_REFERENCE, major, minor, revision },
    ansible_diff_mode: o.diff ?? false,
    ...(o.forks !== undefined && Number.isFinite(o.forks) ? { ansible_forks: o.forks } : {}),
    ansible_run_tags: o.tags?.length ? o.tags : ['all'],
    ansible_skip_tags: o.skipTags ?? [],
    ...(o.limit !== undefined ? { ansible_limit: o.limit } : {}),
    ansible_verbosity: o.verbose ?? 0,
  };
}

/**
 * A play's name and its hosts. ansible_play_hosts_all is after --limit: VariableManager's
 * ignore_restrictions is bypassed by the host cache the strategy passes in (2.19 prints the
 * limited list, held to it by test/playbook/magic-vars.test.ts).
 */
export function playMagicVars(play: Play, hostsAll: string[], batch: string[]): Record<string, unknown> {
  const names = play.roleNames ?? { play: [], dependent: [], included: [] };
  const playRoles = [...new Set(names.play)];
  const dependent = [...new Set(names.dependent)];
  return {
    ansible_play_name: play.name,
    ansible_play_hosts_all: hostsAll,
    // the hosts not failed, unreachable or ended: node-vars.ts takes those out once one is
    ansible_play_hosts: hostsAll,
    ansible_play_batch: batch,
    play_hosts: batch,
    ...roleNameVars(playRoles, dependent),
  };
}

/** ansible_play_role_names, role_names, ansible_dependent_role_names, ansible_role_names (ansible-core's VariableManager). */
export function roleNameVars(playRoles: string[], dependent: string[]): Record<string, unknown> {
  return {
    ansible_play_role_names: playRoles,
    role_names: playRoles,
    ansible_dependent_role_names: dependent,
    ansible_role_names: [...new Set([...dependent, ...playRoles])],
  };
}

// by identity: every host's vars share `groups` and the play's host lists, which on 1,000 hosts
// were walked again for each host (quadratic: 1 s of a converged run); values are never changed
const templated = new WeakMap<object, boolean>();

function mentionsTemplate(v: unknown): boolean {
  if (typeof v === 'string') return hasTemplate(v);
  if (!v || typeof v !== 'object') return false;
  let found = templated.get(v);
  if (found === undefined) {
    found = Array.isArray(v) ? v.some(mentionsTemplate) : Object.values(v).some(mentionsTemplate);
    templated.set(v, found);
  }
  return found;
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
