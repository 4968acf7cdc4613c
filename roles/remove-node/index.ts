// remove-node: a node out of the cluster, from the first other control-plane node. Everything is
// read first (the Node object, for a control-plane node the etcd members and their health) and a
// removal that would break etcd is refused with the arithmetic before any change; then: drain,
// the etcd member removed by its ID through a healthy member, `kubeadm reset` on the node when
// it answers (and its CNI config), the Node object deleted. A second run finds nothing to do.
import { type CommandResult, known, type RoleContext, type RoleDefinition, type StepResult } from 'quorum';
import {
  describeMembers,
  existingPaths,
  type Member,
  memberOf,
  nodeAddress,
  removalRefusal,
  removeMemberCommand,
  waitForMembers,
} from 'quorum/cluster';

export interface RemoveNodeParams {
  node: string;
  control_plane_group: string;
  drain_timeout: number;
  kubeconfig: string;
}

/** What `kubeadm join` left on a node: reset is due while any of it is there. */
const KUBEADM_STATE = [
  '/etc/kubernetes/kubelet.conf',
  '/etc/kubernetes/bootstrap-kubelet.conf',
  '/etc/kubernetes/pki/ca.crt',
  '/etc/kubernetes/manifests/etcd.yaml',
  '/var/lib/kubelet/config.yaml',
];

const lines = (r: StepResult<CommandResult>) => known(r.result.stdout)?.split('\n').filter(Boolean);

/** The node's etcd member and the refusal, if removing it would break etcd. */
async function etcdMember(ctx: RoleContext, p: RemoveNodeParams, ip: string) {
  const members: Member[] | undefined = await waitForMembers(
    ctx,
    'etcd members and their health',
    () => true,
    0,
  );
  if (!members) return undefined;
  const member = memberOf(members, p.node, ip);
  if (!member) return undefined;
  const refused = removalRefusal(members, member);
  if (refused) ctx.fail(`${p.node}: ${refused} (members: ${describeMembers(members)})`);
  return member;
}

async function resetNode(ctx: RoleContext, node: string, reachable: boolean) {
  if (!reachable) {
    ctx.warn(
      `${node} does not answer: not reset (its disks keep its cluster state: playbooks/reset.yml --limit ${node} before it comes back)`,
    );
    return;
  }
  const on = await ctx.delegateTo(node);
  const found = await existingPaths(on, KUBEADM_STATE, 'kubeadm state on the node');
  if (found?.length !== 0) await on.command({ cmd: 'kubeadm reset -f' }, { name: 'kubeadm reset' });
  // kubeadm reset leaves the CNI configuration behind (its own message says so)
  await on.file({ path: '/etc/cni/net.d', state: 'absent' }, { name: 'CNI configuration' });
}

const role: RoleDefinition<RemoveNodeParams> = {
  name: 'remove-node',
  description: 'drain, etcd member by ID, kubeadm reset, Node deleted; refuses what would break etcd',
  publishes: [],
  params: {
    type: 'object',
    properties: {
      node: { type: 'string', minLength: 1, description: 'the inventory name of the node to remove' },
      control_plane_group: {
        type: 'string',
        default: 'control_plane',
        description: 'group of the control-plane nodes',
      },
      drain_timeout: {
        type: 'integer',
        minimum: 1,
        default: 300,
        description: 'seconds kubectl drain may take',
      },
      kubeconfig: {
        type: 'string',
        default: '/etc/kubernetes/admin.conf',
        description: "the cluster's admin kubeconfig",
      },
    },
    required: ['node'],
    additionalProperties: false,
  },
  check(entries, ctx) {
    const p = entries[0]?.params;
    if (!p) return [];
    if (ctx.hosts(p.node).length !== 1 || ctx.hosts(p.node)[0].name !== p.node)
      return [`node "${p.node}" is no host of the inventory`];
    const others = ctx.hosts(p.control_plane_group).filter((h) => h.name !== p.node);
    if (others.length === 0)
      return [
        `node "${p.node}" is the last node of ${p.control_plane_group}: removing it ends the cluster (playbooks/reset.yml resets every node)`,
      ];
    return [];
  },
  async run(ctx, p) {
    // one control-plane node does the removal; the others of the play have nothing to do
    if (ctx.hosts(`${p.control_plane_group}:!${p.node}`)[0] !== ctx.host) return;
    const kubectl = `kubectl --kubeconfig ${p.kubeconfig}`;
    const ip = nodeAddress(p.node, ctx.hostVars(p.node));
    const hasNode = lines(
      await ctx.query(
        { cmd: `${kubectl} get node ${p.node} -o name --ignore-not-found` },
        { name: `Node ${p.node} in the cluster?` },
      ),
    );
    const member = ctx.hosts(p.control_plane_group).includes(p.node)
      ? await etcdMember(ctx, p, ip)
      : undefined;
    const reachable = await ctx.reachable(p.node);
    // the pods of a node that does not answer never finish terminating (no kubelet confirms it):
    // drain would wait for them until its timeout; their deletion is enough (kubectl drain
    // --skip-wait-for-delete-timeout)
    const dead = reachable ? '' : ' --skip-wait-for-delete-timeout=1';
    if (hasNode?.length !== 0)
      await ctx.command(
        {
          cmd: `${kubectl} drain ${p.node} --ignore-daemonsets --delete-emptydir-data --timeout=${p.drain_timeout}s${dead}`,
        },
        { name: `drain ${p.node}` },
      );
    // by ID through this healthy member, before the reset: kubeadm reset's own removal is a
    // best effort that only warns when it fails
    if (member)
      await ctx.shell(
        { cmd: removeMemberCommand(member.id) },
        { name: `remove etcd member ${member.id} (${p.node})` },
      );
    await resetNode(ctx, p.node, reachable);
    if (hasNode?.length !== 0)
      await ctx.command({ cmd: `${kubectl} delete node ${p.node}` }, { name: `delete Node ${p.node}` });
  },
};

export default role;
