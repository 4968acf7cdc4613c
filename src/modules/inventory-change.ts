/**
 * `group_by` and `add_host`: the run's inventory grows, as ansible-core 2.19's action plugins
 * and its InventoryManager do it. The modules only say what (their result, as Ansible's); the
 * run applies it (execute/inventory-change.ts), in check runs too, since Ansible does.
 */
import { parseAddress } from '../inventory/address.ts';
import { defineModule, type ModuleOutcome } from './types.ts';

const words = (v: unknown): string[] => [v].flat().map(String);

export const groupByModule = defineModule<{ key: string | number; parents?: string | string[] }>({
  name: 'group_by',
  schema: {
    type: 'object',
    properties: {
      key: { type: ['string', 'number'] },
      parents: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
    required: ['key'],
    additionalProperties: false,
  },
  async plan(_ctx, p): Promise<ModuleOutcome> {
    // as Ansible: spaces in the names become dashes
    const addGroup = String(p.key).replaceAll(' ', '-');
    const parents = words(p.parents ?? ['all']).map((n) => n.replaceAll(' ', '-'));
    return {
      changes: [],
      inventory: { addGroup, parents },
      result: { add_group: addGroup, parent_groups: parents },
    };
  },
});

/** The names add_host reads, and does not keep as the host's variables (Ansible's special_args). */
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

export const addHostModule = defineModule<Record<string, unknown>>({
  name: 'add_host',
  schema: {
    type: 'object',
    anyOf: [{ required: ['name'] }, { required: ['hostname'] }, { required: ['host'] }],
    properties: {
      groups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      groupname: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      group: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    },
  },
  async plan(_ctx, p): Promise<ModuleOutcome> {
    const given = String(p.name ?? p.hostname ?? p.host);
    const address = parseAddress(given);
    const name = address?.host ?? given;
    const vars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p)) if (!SPECIAL.has(k)) vars[k] = v;
    if (address?.port) vars.ansible_ssh_port = address.port;
    const listed = p.groupname ?? p.groups ?? p.group ?? '';
    const groups: string[] = [];
    for (const g of Array.isArray(listed)
      ? listed
      : String(listed)
          .split(',')
          .filter((x) => x !== ''))
      if (!groups.includes(String(g))) groups.push(String(g).trim());
    return {
      changes: [],
      inventory: { addHost: { name, groups, vars } },
      result: { add_host: { host_name: name, groups, host_vars: vars } },
    };
  },
});
