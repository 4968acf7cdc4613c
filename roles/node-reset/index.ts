// node-reset: a node back to before cluster.yml, as kubeadm's reset documentation lists it:
// `kubeadm reset` (its etcd member removed through the cluster, static pods, PKI, kubeconfigs),
// then what kubeadm reset says it leaves: the CNI configuration and state, and the iptables
// chains of kube-proxy and flannel; quorum's kubeadm config and root's kubeconfig. The packages
// stay installed and held unless `reset_remove_packages`. Refused unless
// `reset_confirmation` is "yes" (reset.yml asks for it, as kubespray's reset.yml does).
import { type CommandResult, known, type RoleContext, type RoleDefinition, type StepResult } from 'quorum';
import { existingPaths } from 'quorum/cluster';

export interface NodeResetParams {
  reset_confirmation: string;
  reset_remove_packages: boolean;
}

const KUBEADM_STATE = [
  '/etc/kubernetes/kubelet.conf',
  '/etc/kubernetes/bootstrap-kubelet.conf',
  '/etc/kubernetes/admin.conf',
  '/etc/kubernetes/pki',
  '/etc/kubernetes/manifests/etcd.yaml',
  '/etc/kubernetes/manifests/kube-apiserver.yaml',
  '/var/lib/kubelet/config.yaml',
  '/var/lib/etcd/member',
];
const LEFT_BY_RESET = [
  '/etc/cni/net.d',
  '/var/lib/cni',
  '/run/flannel',
  '/etc/kubernetes/kubeadm.yaml',
  '/root/.kube',
];
const PACKAGES = ['kubeadm', 'kubelet', 'kubectl', 'cri-tools'];
// kube-proxy's and flannel's chains, and the rules that jump to them: every other rule kept
const CHAINS = '-e KUBE- -e FLANNEL';

/** The query printed something (or its answer is known only after apply). */
const found = (r: StepResult<CommandResult>) => known(r.result.stdout)?.trim() !== '';

async function iptablesLeft(ctx: RoleContext) {
  for (const tool of ['iptables', 'ip6tables']) {
    const dirty = await ctx.query(
      { cmd: `! command -v ${tool}-save >/dev/null || ${tool}-save | grep -m1 ${CHAINS} || true` },
      { name: `${tool}: kube-proxy and flannel chains left?` },
    );
    if (found(dirty))
      await ctx.shell(
        { cmd: `set -o pipefail; ${tool}-save | grep -v ${CHAINS} | ${tool}-restore` },
        { name: `${tool}: kube-proxy and flannel chains removed` },
      );
  }
  const ipvs = await ctx.query(
    { cmd: '! command -v ipvsadm >/dev/null || ipvsadm -Ln | grep -m1 -e "^TCP" -e "^UDP" || true' },
    { name: 'IPVS services left?' },
  );
  if (found(ipvs)) await ctx.command({ cmd: 'ipvsadm --clear' }, { name: 'IPVS tables cleared' });
}

const role: RoleDefinition<NodeResetParams> = {
  name: 'node-reset',
  description:
    'kubeadm reset and what it leaves (CNI, iptables chains, kubeconfigs); packages kept unless asked',
  publishes: [],
  params: {
    type: 'object',
    properties: {
      reset_confirmation: {
        type: 'string',
        default: 'no',
        description: '"yes" to reset (reset.yml asks for it; -e reset_confirmation=yes answers)',
      },
      reset_remove_packages: {
        type: 'boolean',
        default: false,
        description: 'also unhold and remove kubeadm, kubelet, kubectl and cri-tools',
      },
    },
    required: [],
    additionalProperties: false,
  },
  async run(ctx, p) {
    if (p.reset_confirmation !== 'yes')
      ctx.fail(
        'not reset: reset_confirmation is not "yes" (answer the prompt, or -e reset_confirmation=yes)',
      );
    const state = await existingPaths(ctx, KUBEADM_STATE, 'kubeadm state on the node');
    if (state?.length !== 0) await ctx.command({ cmd: 'kubeadm reset -f' }, { name: 'kubeadm reset' });
    for (const path of LEFT_BY_RESET) await ctx.file({ path, state: 'absent' });
    await iptablesLeft(ctx);
    if (p.reset_remove_packages) {
      const held = await ctx.query(
        {
          cmd: `dpkg-query -W -f='\${db:Status-Want} \${Package}\\n' ${PACKAGES.join(' ')} 2>/dev/null | awk '$1 == "hold" {print $2}'`,
        },
        { name: 'held Kubernetes packages' },
      );
      if (found(held))
        await ctx.command({ cmd: `apt-mark unhold ${PACKAGES.join(' ')}` }, { name: 'release the holds' });
      await ctx.package({ name: PACKAGES, state: 'absent' });
    }
  },
};

export default role;
