/**
 * What every `kubeadm join` of the cluster roles starts with: the endpoint and CA hash that
 * kubeadm-init published and a bootstrap token fresh enough for the join. A value known only
 * after apply (check mode on a fresh cluster) stays what it is, so the join becomes a prediction.
 */
import type { RoleContext } from '../roles/define.ts';

export const joinMaterialParam = {
  type: 'integer',
  minimum: 0,
  default: 900,
  description: 'seconds the token (and certificate key) must still be valid for a join to use them',
} as const;

export async function joinArgv(ctx: RoleContext, validFor: number): Promise<string[]> {
  const endpoint = ctx.lookup('kubeadm-init', 'endpoint');
  const hash = ctx.lookup('kubeadm-init', 'ca_cert_hash');
  const token = await ctx.lookupFresh('kubeadm-init', 'token', { validFor });
  return [
    'kubeadm',
    'join',
    endpoint as string,
    '--token',
    token as string,
    '--discovery-token-ca-cert-hash',
    hash as string,
  ];
}
