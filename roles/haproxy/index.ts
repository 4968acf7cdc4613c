// haproxy: the control-plane API load balancer (CLUSTER.md 1.4): a TCP frontend on the VIP
// port, every control-plane node's apiserver as a backend, TLS /healthz checks.

import type { RoleDefinition } from 'quorum';
import { nodeAddress } from 'quorum/cluster';

export interface HaproxyParams {
  control_plane_port: number;
  control_plane_group: string;
  apiserver_port: number;
  haproxy_timeout_tunnel: string;
  haproxy_check_interval: string;
}

const role: RoleDefinition<HaproxyParams> = {
  name: 'haproxy',
  description:
    'API load balancer: frontend on the VIP port, round robin over every apiserver, TLS /healthz checks',
  // nothing changes on any node until every node passed its preflight
  needs: ['node-preflight'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      control_plane_port: {
        type: 'integer',
        minimum: 1,
        maximum: 65535,
        default: 8443,
        description: 'frontend port (not 6443: kube-apiserver binds it on the same nodes)',
      },
      control_plane_group: {
        type: 'string',
        default: 'control_plane',
        description: 'inventory group whose apiservers are the backends',
      },
      apiserver_port: {
        type: 'integer',
        minimum: 1,
        maximum: 65535,
        default: 6443,
        description: 'kube-apiserver port on each backend',
      },
      haproxy_timeout_tunnel: {
        type: 'string',
        pattern: '^\\d+(ms|s|m|h|d)$',
        default: '3h',
        description: 'client/server timeout: long, so watches and exec sessions survive',
      },
      haproxy_check_interval: {
        type: 'string',
        pattern: '^\\d+(ms|s|m)$',
        default: '2s',
        description: 'health check interval',
      },
    },
    required: [],
    additionalProperties: false,
  },
  handlers: {
    async 'reload haproxy'(ctx) {
      await ctx.service({ name: 'haproxy', state: 'reloaded' });
    },
  },
  check(entries, ctx) {
    const errors: string[] = [];
    for (const e of entries) {
      const members = ctx.hosts(e.params.control_plane_group).map((m) => m.name);
      if (members.length === 0)
        errors.push(`group "${e.params.control_plane_group}" (control_plane_group) has no hosts`);
      if (members.includes(e.host) && e.params.control_plane_port === e.params.apiserver_port) {
        errors.push(
          `on ${e.host} haproxy would bind ${e.params.control_plane_port}, which kube-apiserver uses on the same node: set control_plane_port to another port (8443)`,
        );
      }
    }
    return [...new Set(errors)];
  },
  async run(ctx, p) {
    const backends = ctx
      .hosts(p.control_plane_group)
      .map((name) => ({ name, address: nodeAddress(name, ctx.hostVars(name)) }));
    await ctx.package({ name: 'haproxy' });
    await ctx.copy(
      {
        dest: '/etc/haproxy/haproxy.cfg',
        content: ctx.render('haproxy.cfg.hbs', { backends }),
        mode: '0644',
        validate: 'haproxy -c -q -f %s',
      },
      { name: 'haproxy.cfg', notify: 'reload haproxy' },
    );
    await ctx.service({ name: 'haproxy', state: 'started', enabled: true });
  },
};

export default role;
