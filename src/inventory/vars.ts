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

/** One layer of a host's inventory variables, named as `quorum vars` shows it. */
export interface VarsLayer {
  source: string;
  vars: Vars;
}

function fileLayers(
  inv: LoadedInventory,
  kind: 'group_vars' | 'host_vars',
  name: string,
  warn: Warn,
): VarsLayer[] {
  return inv.varsDirs.map((dir) => ({
    source: `${dir}/${kind}/${name}`,
    vars: readVarsFiles(`${dir}/${kind}`, name, warn),
  }));
}

export function groupFileVars(inv: LoadedInventory, group: Group, warn: Warn = () => {}): Vars {
  return Object.assign({}, ...fileLayers(inv, 'group_vars', group.name, warn).map((l) => l.vars));
}

/** The layers, lowest precedence first: the last layer that sets a name wins it. */
export function hostVarsLayers(inv: LoadedInventory, host: Host, warn: Warn = () => {}): VarsLayer[] {
  const groups = sortGroups(host.groups.filter((g) => g.name !== 'all'));
  return [
    { source: 'inventory: group all', vars: inv.data.all.vars },
    ...fileLayers(inv, 'group_vars', 'all', warn),
    ...groups.map((g) => ({ source: `inventory: group ${g.name} (depth ${g.depth})`, vars: g.vars })),
    ...groups.flatMap((g) => fileLayers(inv, 'group_vars', g.name, warn)),
    { source: `inventory: host ${host.name}`, vars: host.vars },
    ...fileLayers(inv, 'host_vars', host.name, warn),
  ];
}

export function hostVars(inv: LoadedInventory, host: Host, warn: Warn = () => {}): Vars {
  return Object.assign({}, ...hostVarsLayers(inv, host, warn).map((l) => l.vars));
}

/** What `ansible-inventory --host` prints: the variables without Ansible's own names. */
export function publicHostVars(inv: LoadedInventory, host: Host, warn?: Warn): Vars {
  const vars = hostVars(inv, host, warn);
  for (const k of INTERNAL_VARS) delete vars[k];
  return vars;
}
