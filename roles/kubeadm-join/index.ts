// kubeadm-join: worker nodes, in parallel, once the control plane is up (CLUSTER.md 1.9). A
// worker is joined when the cluster has its Node (kubeadm-init lists them) and its kubelet.conf
// is there; one whose join stopped half way (files left, no Node) is reset and joined again.
import type { RoleDefinition } from 'quorum';
import {
  existingPaths,
  joinCommand,
  joinMaterialParam,
  nodeAddress,
  resetKeepingManifests,
} from 'quorum/cluster';

export interface KubeadmJoinParams {
  join_material_min_validity: number;
}

const role: RoleDefinition<KubeadmJoinParams> = {
  name: 'kubeadm-join',
  description: 'workers join through the VIP with a fresh bootstrap token',
  needs: ['kubeadm-init', 'etcd-join', 'cni'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      join_material_min_validity: joinMaterialParam,
    },
    required: [],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const found =
      (await existingPaths(
        ctx,
        [
          '/etc/kubernetes/kubelet.conf',
          '/etc/kubernetes/pki/ca.crt',
          '/etc/kubernetes/bootstrap-kubelet.conf',
        ],
        'joined before?',
      )) ?? [];
    const nodes = ctx.lookup('kubeadm-init', 'nodes');
    // not a list: known only after apply (check mode), taken as registered
    const registered = !Array.isArray(nodes) || nodes.includes(ctx.host);
    if (found.includes('/etc/kubernetes/kubelet.conf') && registered) return;
    if (found.length) {
      // kubeadm join refuses to run over its own leftovers (FileAvailable--etc-kubernetes-pki-ca.crt)
      const why = found.includes('/etc/kubernetes/kubelet.conf')
        ? `kubelet.conf is there but the cluster has no Node ${ctx.host}`
        : `a join left ${found.join(', ')} without kubelet.conf`;
      ctx.warn(`recovering ${ctx.host}: ${why}: kubeadm reset, join again`);
      await resetKeepingManifests(ctx, 'half-done join');
    }
    const join = await joinCommand(ctx, p.join_material_min_validity, {
      name: ctx.host,
      ip: nodeAddress(ctx.host, ctx.vars),
    });
    await ctx.command(
      { cmd: join.cmd, stdin: join.stdin, creates: '/etc/kubernetes/kubelet.conf' },
      { name: 'kubeadm join', noLog: true },
    );
  },
};

export default role;
