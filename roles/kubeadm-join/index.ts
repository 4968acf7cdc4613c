// kubeadm-join: worker nodes, in parallel, once the control plane is up (CLUSTER.md 1.9).
// kubelet.conf is kubeadm's marker of a joined node: a joined worker is left alone.
import type { RoleDefinition } from 'quorum';

export interface KubeadmJoinParams {
  join_material_min_validity: number;
}

const role: RoleDefinition<KubeadmJoinParams> = {
  name: 'kubeadm-join',
  description: 'workers join through the VIP with a fresh bootstrap token',
  needs: ['kubeadm-init', 'etcd-join', 'cni'],
  params: {
    type: 'object',
    properties: {
      join_material_min_validity: {
        type: 'integer',
        minimum: 0,
        default: 900,
        description: 'seconds the token must still be valid for a join to use it',
      },
    },
    required: ['join_material_min_validity'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const kubelet = await ctx.ensure(
      'stat',
      { path: '/etc/kubernetes/kubelet.conf' },
      { name: 'joined before?' },
    );
    if ((kubelet.result.stat as { exists?: boolean } | undefined)?.exists === true) return;
    const endpoint = ctx.lookup('kubeadm-init', 'endpoint');
    const hash = ctx.lookup('kubeadm-init', 'ca_cert_hash');
    const token = await ctx.lookupFresh('kubeadm-init', 'token', { validFor: p.join_material_min_validity });
    await ctx.command(
      {
        argv: [
          'kubeadm',
          'join',
          endpoint as string,
          '--token',
          token as string,
          '--discovery-token-ca-cert-hash',
          hash as string,
          '--node-name',
          ctx.host,
        ],
        creates: '/etc/kubernetes/kubelet.conf',
      },
      { name: 'kubeadm join', noLog: true },
    );
  },
};

export default role;
