/** `ansible-inventory --list | --graph | --host` output, byte-for-byte where Ansible is stable. */
import { InputError } from '../errors.ts';
import type { LoadedInventory } from './load.ts';
import type { Group } from './model.ts';
import { publicHostVars } from './vars.ts';
import type { Warn } from './yaml-inventory.ts';

export function inventoryList(inv: LoadedInventory, warn?: Warn): Record<string, unknown> {
  const available = new Set(inv.data.all.allHosts());
  const seen = new Set<string>();
  const results: Record<string, unknown> = {};
  const format = (group: Group) => {
    const entry: Record<string, unknown> = {};
    if (group.name !== 'all') {
      const hosts = group.hosts.filter((h) => available.has(h)).map((h) => h.name);
      if (hosts.length) entry.hosts = hosts;
    }
    const children: string[] = [];
    for (const child of group.children) {
      children.push(child.name);
      if (!seen.has(child.name)) {
        format(child);
        seen.add(child.name);
      }
    }
    if (children.length) entry.children = children;
    if (Object.keys(entry).length) results[group.name] = entry;
    else delete results[group.name];
  };
  format(inv.data.all);
  const hostvars: Record<string, unknown> = {};
  for (const host of available) {
    const vars = publicHostVars(inv, host, warn);
    if (Object.keys(vars).length) hostvars[host.name] = vars;
  }
  return { _meta: { hostvars }, ...results };
}

export function inventoryGraph(inv: LoadedInventory, root = 'all'): string {
  const top = inv.data.groups.get(root);
  if (!top) throw new InputError('INVENTORY_GROUP', `pattern must be a valid group name: ${root}`);
  const lines: string[] = [];
  const name = (text: string, depth: number) => (depth ? `${'  |'.repeat(depth)}--${text}` : text);
  const walk = (group: Group, depth: number) => {
    lines.push(name(`@${group.name}:`, depth));
    for (const child of group.children) walk(child, depth + 1);
    if (group.name !== 'all') for (const h of group.hosts) lines.push(name(h.name, depth + 1));
  };
  walk(top, 0);
  return lines.join('\n');
}

export function inventoryHost(inv: LoadedInventory, hostName: string, warn?: Warn): Record<string, unknown> {
  const host = inv.data.hosts.get(hostName);
  if (!host) throw new InputError('INVENTORY_HOST', `host not found in the inventory: ${hostName}`);
  return publicHostVars(inv, host, warn);
}
