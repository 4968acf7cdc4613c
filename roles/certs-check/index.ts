// certs-check: when each control-plane node's certificates expire (kubeadm certs check-expiration),
// shown on every run, a warning under `certs_warn_days` that names the renewal playbook. Reads only.
import type { RoleDefinition } from 'quorum';
import { CHECK_EXPIRATION, describeExpiry, expiringWithin, parseExpiration, renewable } from 'quorum/cluster';

export interface CertsCheckParams {
  certs_warn_days: number;
}

const role: RoleDefinition<CertsCheckParams> = {
  name: 'certs-check',
  description: "when the control plane's certificates expire; a warning under certs_warn_days",
  needs: ['kubeadm-init', 'etcd-join'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      certs_warn_days: {
        type: 'integer',
        minimum: 1,
        default: 30,
        description: 'warn when a certificate expires within this many days',
      },
    },
    required: [],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const r = await ctx.query(
      // a node not (yet) in the cluster has no certificates to read: nothing printed
      { cmd: `test ! -e /etc/kubernetes/admin.conf || ${CHECK_EXPIRATION}` },
      { name: 'kubeadm certs check-expiration' },
    );
    const out = r.result.stdout;
    if (typeof out !== 'string' || !out.includes('{')) return;
    const info = parseExpiration(out);
    const soonest = renewable(info)[0];
    if (soonest)
      await ctx.ensure('debug', { msg: `certificates: the first to expire is ${describeExpiry(soonest)}` });
    const { leaves, cas } = expiringWithin(info, p.certs_warn_days);
    if (leaves.length)
      ctx.warn(
        `certificates expire within ${p.certs_warn_days} days: ${leaves.map(describeExpiry).join(', ')}; renew them with playbooks/certs-renew.yml`,
      );
    if (cas.length)
      ctx.warn(
        `certificate authorities expire within ${p.certs_warn_days} days (kubeadm does not renew them): ${cas.map(describeExpiry).join(', ')}`,
      );
  },
};

export default role;
