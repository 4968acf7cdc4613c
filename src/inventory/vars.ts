/**
 * A host's inventory variables, layered as Ansible's VariableManager does by default:
 * `all` < group_vars/all < each group (by depth, then ansible_group_priority, then name)
 * < their group_vars files < host vars < host_vars files. Dicts replace, never merge.
 */
import type { LoadedInventory } from './load.ts';
import type { Group, Host, Vars } from './model.ts';
import { readVarsFiles } from './vars-files.ts';
import type { Warn } from './yaml-inventory.ts';

/** Names Ansible strips from `ansible-inventory` output because it sets them itself. */
export const INTERNAL_VARS = new Set([
  'ansible_diff_mode',
  'ansible_config_file',
  'ansible_facts',
  'ansible_forks',
  'ansible_inventory_sources',
  'ansible_limit',
  'ansible_playbook_python',
  'ansible_run_tags',
  'ansible_skip_tags',
  'ansible_verbosity',
  'ansible_version',
  'inventory_dir',
  'inventory_file',
  'inventory_hostname',
  'inventory_hostname_short',
  'groups',
  'group_names',
  'omit',
  'playbook_dir',
]);

export function sortGroups(groups: Group[]): Group[] {
  return [...groups].sort(
    (a, b) =>
      a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

function fileVars(inv: LoadedInventory, kind: 'group_vars' | 'host_vars', name: string, warn: Warn): Vars {
  let out: Vars = {};
  for (const dir of inv.varsDirs) out = { ...out, ...readVarsFiles(`${dir}/${kind}`, name, warn) };
  return out;
}

export function groupFileVars(inv: LoadedInventory, group: Group, warn: Warn = () => {}): Vars {
  return fileVars(inv, 'group_vars', group.name, warn);
}

export function hostVars(inv: LoadedInventory, host: Host, warn: Warn = () => {}): Vars {
  const all = inv.data.all;
  const groups = sortGroups(host.groups.filter((g) => g.name !== 'all'));
  let vars: Vars = { ...all.vars, ...groupFileVars(inv, all, warn) };
  for (const g of groups) vars = { ...vars, ...g.vars };
  for (const g of groups) vars = { ...vars, ...groupFileVars(inv, g, warn) };
  vars = { ...vars, ...host.vars, ...fileVars(inv, 'host_vars', host.name, warn) };
  return vars;
}

/** What `ansible-inventory --host` prints: the variables without Ansible's own names. */
export function publicHostVars(inv: LoadedInventory, host: Host, warn?: Warn): Vars {
  const vars = hostVars(inv, host, warn);
  for (const k of INTERNAL_VARS) delete vars[k];
  return vars;
}
