// upgrade-node: one node to kubernetes_version, as kubeadm's upgrade guide orders it: the
// kubeadm package first; on the first control-plane node `kubeadm upgrade plan` then `kubeadm
// upgrade apply`, on the others `kubeadm upgrade node` (control-plane nodes behind the etcd gate:
// every member a healthy voter); then the node drained, kubelet and kubectl upgraded, the kubelet
// restarted, the node uncordoned. Each step is read first: a node the run already finished is
// only read (a run stopped half way is finished by running it again), and a drain that an
// interrupted run left is undone.
import { type DelegatedContext, known, type RoleContext, type RoleDefinition } from 'quorum';
import { allVoting, type NodeVersions, nodeUpgraded, UPGRADE_MARKER, waitForMembers } from 'quorum/cluster';
import { clusterParamSchema } from '../kubeadm-init/schema.ts';
import { packageRepository, repositoryParams } from '../kubernetes-packages/index.ts';

export interface UpgradeNodeParams {
  kubernetes_version: string;
  kubernetes_package_revision: string;
  kubernetes_repo_base: string;
  control_plane_group: string;
  drain_timeout: number;
  etcd_gate_retries: number;
  apiserver_port: number;
  kubeconfig: string;
}

/** The target minor's repository, switched to once; the installer puts packages at the target. */
const repository = (ctx: RoleContext, p: UpgradeNodeParams) =>
  packageRepository(ctx, {
    kubernetes_version: p.kubernetes_version,
    kubernetes_package_revision: p.kubernetes_package_revision,
    kubernetes_repo_base: p.kubernetes_repo_base,
    kubernetes_packages: ['kubeadm', 'kubelet', 'kubectl'],
    kubernetes_tool_packages: [],
  });
type Install = Awaited<ReturnType<typeof repository>>;

async function controlPlane(ctx: RoleContext, p: UpgradeNodeParams, first: boolean) {
  const target = `v${p.kubernetes_version}`;
  // the etcd gate: a control-plane node's upgrade restarts its etcd member
  await waitForMembers(ctx, 'etcd healthy, every member voting', allVoting, p.etcd_gate_retries);
  if (first) {
    const plan = await ctx.query({ cmd: `kubeadm upgrade plan ${target}` }, { name: 'kubeadm upgrade plan' });
    const said = known(plan.result.stdout);
    if (said !== undefined) await ctx.ensure('debug', { msg: said.trim() });
    await ctx.command(
      { cmd: `kubeadm upgrade apply ${target} -y` },
      { name: `kubeadm upgrade apply ${target}` },
    );
  } else await ctx.command({ cmd: 'kubeadm upgrade node' }, { name: 'kubeadm upgrade node' });
  await ctx.waitFor({ url: `https://127.0.0.1:${p.apiserver_port}/readyz`, timeout: 240 });
}

async function kubelet(
  ctx: RoleContext,
  p: UpgradeNodeParams,
  v: NodeVersions,
  through: DelegatedContext,
  install: Install,
) {
  const kubectl = `kubectl --kubeconfig ${p.kubeconfig}`;
  // the marker first: a run interrupted after the drain uncordons the node next time
  await ctx.file({ path: '/var/lib/quorum', state: 'directory', mode: '0755' });
  await ctx.copy(
    { dest: UPGRADE_MARKER, content: `${p.kubernetes_version}\n`, mode: '0644' },
    { name: 'drain marker' },
  );
  await through.command(
    {
      cmd: `${kubectl} drain ${ctx.host} --ignore-daemonsets --delete-emptydir-data --timeout=${p.drain_timeout}s`,
    },
    { name: `drain ${ctx.host}` },
  );
  if (v.kubelet !== p.kubernetes_version || v.kubectl !== p.kubernetes_version) {
    await install(['kubelet', 'kubectl'], []);
    await ctx.service({ name: 'kubelet', state: 'restarted' }, { name: 'restart the kubelet' });
  }
  await through.command({ cmd: `${kubectl} uncordon ${ctx.host}` }, { name: `uncordon ${ctx.host}` });
  // a command, not `file: absent`: a check run, where the marker is not written yet, predicts it too
  await ctx.command({ cmd: `rm -f ${UPGRADE_MARKER}` }, { name: 'drain marker removed' });
}

const role: RoleDefinition<UpgradeNodeParams> = {
  name: 'upgrade-node',
  description: 'kubeadm first, kubeadm upgrade apply/node, drain, kubelet and kubectl, uncordon',
  needs: ['upgrade-plan'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      kubernetes_version: clusterParamSchema.kubernetes_version,
      ...repositoryParams,
      control_plane_group: clusterParamSchema.control_plane_group,
      drain_timeout: {
        type: 'integer',
        minimum: 1,
        default: 300,
        description: 'seconds kubectl drain may take',
      },
      etcd_gate_retries: {
        type: 'integer',
        minimum: 0,
        default: 30,
        description: 'tries (2 s apart) of the etcd gate',
      },
      apiserver_port: clusterParamSchema.apiserver_port,
      kubeconfig: {
        type: 'string',
        default: '/etc/kubernetes/admin.conf',
        description: "the cluster's admin kubeconfig",
      },
    },
    required: ['kubernetes_version'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const v = ctx.lookup('upgrade-facts', 'versions', ctx.host) as NodeVersions | undefined;
    if (!v || typeof v !== 'object') return;
    const planes = ctx.hosts(p.control_plane_group);
    const isPlane = planes.includes(ctx.host);
    if (nodeUpgraded(v, p.kubernetes_version, isPlane)) return;
    const install = await repository(ctx, p);
    if (v.kubeadm !== p.kubernetes_version) await install(['kubeadm'], []);
    if (isPlane && v.controlPlane !== p.kubernetes_version)
      await controlPlane(ctx, p, ctx.host === planes[0]);
    if (!isPlane && v.kubelet !== p.kubernetes_version)
      await ctx.command({ cmd: 'kubeadm upgrade node' }, { name: 'kubeadm upgrade node' });
    // drains and uncordons go through the first control-plane node (workers have no admin kubeconfig)
    const through = ctx.host === planes[0] ? ctx : await ctx.delegateTo(planes[0]);
    await kubelet(ctx, p, v, through, install);
  },
};

export default role;
