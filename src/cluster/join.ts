/**
 * What every `kubeadm join` of the cluster roles starts with: the endpoint and CA hash that
 * kubeadm-init published and a bootstrap token fresh enough for the join, as a v1beta4
 * JoinConfiguration fed to kubeadm on stdin. A value known only after apply (check mode on a
 * fresh cluster) stays what it is, so the join becomes a prediction.
 */
import type { RoleContext } from '../roles/define.ts';
import { joinConfig, type NodeIdentity } from './kubeadm-config.ts';

export const joinMaterialParam = {
  type: 'integer',
  minimum: 0,
  default: 900,
  description: 'seconds the token (and certificate key) must still be valid for a join to use them',
} as const;

/** The join's command: `kubeadm join --config /dev/stdin` and the configuration for its stdin. */
export async function joinCommand(
  ctx: RoleContext,
  validFor: number,
  node: NodeIdentity,
  controlPlane?: { bindPort: number },
): Promise<{ cmd: string; stdin: string }> {
  const endpoint = ctx.lookup('kubeadm-init', 'endpoint');
  const caCertHash = ctx.lookup('kubeadm-init', 'ca_cert_hash');
  const token = await ctx.lookupFresh('kubeadm-init', 'token', { validFor });
  const key = controlPlane
    ? await ctx.lookupFresh('kubeadm-init', 'certificate_key', { validFor })
    : undefined;
  const values = controlPlane ? [endpoint, caCertHash, token, key] : [endpoint, caCertHash, token];
  // check mode on a fresh cluster: the material exists only after apply; that value is passed on
  // as it is, so the engine sees it and the step is a prediction (not a string: the engine's own
  // "known after apply" value, which a role must not try to recognise by class)
  const unknown = values.find((v) => typeof v !== 'string');
  if (unknown !== undefined) return { cmd: 'kubeadm join --config /dev/stdin', stdin: unknown as string };
  const stdin = joinConfig(
    { endpoint: endpoint as string, token: token as string, caCertHash: caCertHash as string },
    node,
    controlPlane ? { certificateKey: key as string, bindPort: controlPlane.bindPort } : undefined,
  );
  return { cmd: 'kubeadm join --config /dev/stdin', stdin };
}
