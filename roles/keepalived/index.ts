// keepalived: VRRP for the control-plane VIP (CLUSTER.md 1.4). Unicast peers, one MASTER
// (the first control-plane node), priorities and check weight sized so failover happens.

import type { RoleDefinition } from 'quorum';
import { ipToInt, isNetworkOrBroadcast, nodeAddress, sameSubnet } from 'quorum/cluster';

export interface KeepalivedParams {
  control_plane_vip: string;
  control_plane_prefix: number;
  control_plane_port: number;
  control_plane_group: string;
  keepalived_interface: string;
  keepalived_router_id: number;
  keepalived_auth_pass: string;
  keepalived_priority: number;
  keepalived_check_weight: number;
  keepalived_check_interval: number;
  keepalived_state?: 'MASTER' | 'BACKUP';
}

/** MASTER is the first host of the group; priorities step down by one from there. */
export function vrrpRole(p: KeepalivedParams, index: number) {
  return {
    state: p.keepalived_state ?? (index === 0 ? 'MASTER' : 'BACKUP'),
    priority: p.keepalived_priority - index,
  };
}

const role: RoleDefinition<KeepalivedParams> = {
  name: 'keepalived',
  description: 'VRRP control-plane VIP (unicast, health-checked through the local haproxy frontend)',
  // nothing changes on any node until every node passed its preflight
  needs: ['node-preflight'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      control_plane_vip: { type: 'string', description: 'the control-plane VIP (a site value: no default)' },
      control_plane_prefix: {
        type: 'integer',
        minimum: 8,
        maximum: 32,
        default: 24,
        description: 'prefix length of the node subnet',
      },
      control_plane_port: {
        type: 'integer',
        minimum: 1,
        maximum: 65535,
        default: 8443,
        description: 'haproxy frontend port the check script probes',
      },
      control_plane_group: {
        type: 'string',
        default: 'control_plane',
        description: 'inventory group of the VRRP members',
      },
      keepalived_interface: {
        type: 'string',
        default: 'eth0',
        description: 'interface that carries the VIP',
      },
      keepalived_router_id: {
        type: 'integer',
        minimum: 1,
        maximum: 255,
        default: 51,
        description: 'virtual_router_id, same on all members, unique on the segment',
      },
      keepalived_auth_pass: {
        type: 'string',
        minLength: 1,
        maxLength: 8,
        secret: true,
        description: 'VRRP password (keepalived uses at most 8 characters)',
      },
      keepalived_priority: {
        type: 'integer',
        minimum: 2,
        maximum: 254,
        default: 101,
        description: 'priority of the first node; the others step down by one',
      },
      keepalived_check_weight: {
        type: 'integer',
        minimum: -253,
        maximum: -1,
        default: -2,
        description: 'added to the priority while the check fails',
      },
      keepalived_check_interval: {
        type: 'integer',
        minimum: 1,
        default: 2,
        description: 'seconds between checks',
      },
      keepalived_state: {
        type: 'string',
        enum: ['MASTER', 'BACKUP'],
        nullable: true,
        description: 'override the computed state',
      },
    },
    required: ['control_plane_vip', 'keepalived_auth_pass'],
    additionalProperties: false,
  },
  handlers: {
    async 'restart keepalived'(ctx) {
      await ctx.service({ name: 'keepalived', state: 'restarted' });
    },
  },
  check(entries, ctx) {
    const errors: string[] = [];
    if (entries.length === 0) return errors;
    const p = entries[0].params;
    const members = ctx.hosts(p.control_plane_group);
    if (members.length < 3 || members.length % 2 === 0) {
      errors.push(
        `group "${p.control_plane_group}" has ${members.length} control-plane node(s); stacked etcd needs an odd number, at least 3`,
      );
    }
    if (ipToInt(p.control_plane_vip) === undefined)
      errors.push(`control_plane_vip "${p.control_plane_vip}" is not an IPv4 address`);
    for (const m of members) {
      const addr = nodeAddress(m.name, m.vars);
      if (addr === p.control_plane_vip)
        errors.push(
          `control_plane_vip ${p.control_plane_vip} is the address of node ${m.name} (ansible_host)`,
        );
      else if (!sameSubnet(addr, p.control_plane_vip, p.control_plane_prefix)) {
        errors.push(
          `control_plane_vip ${p.control_plane_vip} is not in the subnet of ${m.name} (ansible_host ${addr}/${p.control_plane_prefix})`,
        );
      }
    }
    if (isNetworkOrBroadcast(p.control_plane_vip, p.control_plane_prefix))
      errors.push(`control_plane_vip ${p.control_plane_vip} is a network or broadcast address`);
    const order = members.map((m) => m.name);
    const roles = entries.map((e) => ({
      host: e.host,
      params: e.params,
      ...vrrpRole(e.params, Math.max(0, order.indexOf(e.host))),
    }));
    for (const key of [
      'keepalived_router_id',
      'keepalived_auth_pass',
      'control_plane_vip',
      'keepalived_check_weight',
    ] as const) {
      const values = new Set(entries.map((e) => String(e.params[key])));
      if (values.size > 1)
        errors.push(
          `${key} differs between hosts (${entries.map((e) => `${e.host}: ${key === 'keepalived_auth_pass' ? '(secret)' : e.params[key]}`).join(', ')}); it must be the same on every member`,
        );
    }
    const masters = roles.filter((r) => r.state === 'MASTER');
    if (masters.length !== 1)
      errors.push(
        `exactly one MASTER is needed, found ${masters.length} (${masters.map((m) => m.host).join(', ') || 'none'}; see keepalived_state)`,
      );
    const priorities = roles.map((r) => r.priority);
    if (new Set(priorities).size !== priorities.length)
      errors.push(
        `VRRP priorities are not distinct (${roles.map((r) => `${r.host}: ${r.priority}`).join(', ')})`,
      );
    if (masters.length === 1) {
      const backups = roles.filter((r) => r !== masters[0]).map((r) => r.priority);
      const best = Math.max(...backups);
      if (backups.length && masters[0].priority + p.keepalived_check_weight >= best) {
        errors.push(
          `a failing check on ${masters[0].host} would not move the VIP: priority ${masters[0].priority} + keepalived_check_weight ${p.keepalived_check_weight} is not below the best backup's ${best}`,
        );
      }
    }
    return errors;
  },
  async run(ctx, p) {
    const members = ctx.hosts(p.control_plane_group);
    const index = members.indexOf(ctx.host);
    if (index < 0) ctx.fail(`${ctx.host} is not in group ${p.control_plane_group}`);
    const self = nodeAddress(ctx.host, ctx.vars);
    const peers = members.filter((m) => m !== ctx.host).map((m) => nodeAddress(m, ctx.hostVars(m)));
    await ctx.package({ name: ['keepalived', 'curl'] });
    await ctx.file({ path: '/etc/keepalived', state: 'directory', mode: '0755' });
    await ctx.copy({
      dest: '/etc/keepalived/check_apiserver.sh',
      content: ctx.render('check_apiserver.sh.hbs'),
      mode: '0755',
    });
    const config = ctx.render('keepalived.conf.hbs', { ...vrrpRole(p, index), self, peers });
    await ctx.copy(
      {
        dest: '/etc/keepalived/keepalived.conf',
        content: config,
        mode: '0640',
        validate: 'keepalived -t -f %s',
      },
      { name: 'keepalived.conf', notify: 'restart keepalived' },
    );
    await ctx.service({ name: 'keepalived', state: 'started', enabled: true });
  },
};

export default role;
