// certs-check: when each control-plane node's certificates expire (kubeadm certs check-expiration),
// shown on every run, a warning under `certs_warn_days` that names the renewal playbook. Reads only.
import type { RoleContext, RoleDefinition } from 'quorum';
import {
  CERT_FILES,
  CHECK_EXPIRATION,
  cachedExpiration,
  describeExpiry,
  type Expiration,
  expiringWithin,
  keepExpiration,
  parseExpiration,
  renewable,
  residualFrom,
} from 'quorum/cluster';

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
    const info = await readExpiration(ctx);
    if (!info) return;
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

/**
 * kubeadm's answer, or the one the controller kept for the same files (src/cluster/certs-cache.ts);
 * undefined on a node not in the cluster yet (no admin.conf: no certificates to read).
 */
async function readExpiration(ctx: RoleContext): Promise<Expiration | undefined> {
  const listed = await ctx.query({ cmd: CERT_FILES }, { name: 'certificate files' });
  const listing = listed.result.stdout;
  if (typeof listing !== 'string' || !listing.trim()) return undefined;
  const kept = cachedExpiration(ctx.host, listing);
  if (kept !== undefined) return residualFrom(parseExpiration(kept));
  const r = await ctx.query({ cmd: CHECK_EXPIRATION }, { name: 'kubeadm certs check-expiration' });
  const out = r.result.stdout;
  if (typeof out !== 'string' || !out.includes('{')) return undefined;
  const info = parseExpiration(out);
  keepExpiration(ctx.host, listing, out);
  return info;
}

export default role;
