// kubeadm-join: worker nodes, in parallel, once the control plane is up (CLUSTER.md 1.9).
// kubelet.conf is kubeadm's marker of a joined node: a joined worker is left alone.
import type { RoleDefinition } from 'quorum';
import { joinArgv, joinMaterialParam } from 'quorum/cluster';

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
      join_material_min_validity: joinMaterialParam,
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
    await ctx.command(
      {
        argv: [...(await joinArgv(ctx, p.join_material_min_validity)), '--node-name', ctx.host],
        creates: '/etc/kubernetes/kubelet.conf',
      },
      { name: 'kubeadm join', noLog: true },
    );
  },
};

export default role;
