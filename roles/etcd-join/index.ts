// etcd-join: the other control-plane nodes, `kubeadm join --control-plane` strictly one at a
// time (CLUSTER.md 1.8): etcd admits one learner, so each join waits until every other member
// is started, voting and healthy, and the next waits until the new member is promoted. A node
// whose own member is stale (a join that stopped after its etcd phase, or a reinstalled host
// whose old member is dead) is recovered: the node reset, its member removed by exact ID
// through a healthy member when the others keep quorum, then joined again; the report says so.

import type { RoleDefinition } from 'quorum';
import {
  allVoting,
  joinCommand,
  joinMaterialParam,
  type Member,
  memberOf,
  nodeAddress,
  removalRefusal,
  removeMemberCommand,
  resetKeepingManifests,
  waitForMembers,
} from 'quorum/cluster';
import { clusterParamSchema } from '../kubeadm-init/schema.ts';

export interface EtcdJoinParams {
  kubernetes_version: string;
  apiserver_port: number;
  etcd_gate_retries: number;
  join_material_min_validity: number;
  etcd_rejoin_after_restore: boolean;
}

const role: RoleDefinition<EtcdJoinParams> = {
  name: 'etcd-join',
  description: 'control-plane joins, one at a time, gated on etcd health; recovers a stale member',
  needs: ['kubeadm-init'],
  publishes: [],
  throttle: 1,
  params: {
    type: 'object',
    properties: {
      kubernetes_version: clusterParamSchema.kubernetes_version,
      apiserver_port: clusterParamSchema.apiserver_port,
      etcd_gate_retries: {
        type: 'integer',
        minimum: 0,
        default: 60,
        description: 'polls (2 s apart) for etcd to be healthy before and after a join',
      },
      join_material_min_validity: joinMaterialParam,
      etcd_rejoin_after_restore: {
        type: 'boolean',
        default: false,
        description:
          "the first control-plane node's etcd was just restored from a snapshot (etcd-restore.yml): this node's old member is gone",
      },
    },
    required: ['kubernetes_version'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const ip = nodeAddress(ctx.host, ctx.vars);
    // values known only after apply stay what they are (Unknown): their steps become predictions
    const seedHost = ctx.lookup('kubeadm-init', 'host') as string;
    if (seedHost === ctx.host) ctx.fail(`${ctx.host} ran kubeadm-init: it cannot also join`);
    const seed = await ctx.delegateTo(seedHost);

    const admin = await ctx.ensure(
      'stat',
      { path: '/etc/kubernetes/admin.conf' },
      { name: 'joined before?' },
    );
    const joinedFiles = (admin.result.stat as { exists?: boolean } | undefined)?.exists === true;
    let now = await waitForMembers(seed, 'etcd members', () => true, 0);
    let mine = now && memberOf(now, ctx.host, ip);
    // a joined voter that does not answer one health read may be busy (a loaded host, etcd
    // compacting): read again, 2 s apart, before the reset that follows is decided
    for (let i = 0; i < 4 && joinedFiles && mine?.name && !mine.learner && !mine.healthy; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      now = await waitForMembers(seed, `etcd members (read ${i + 2})`, () => true, 0);
      mine = now && memberOf(now, ctx.host, ip);
    }
    if (joinedFiles && mine?.name && !mine.learner && mine.healthy) return; // a healthy voter already

    // a member of this node that is not a healthy voter with its files here: stale
    const others = (m: Member[]) => m.filter((x) => x !== memberOf(m, ctx.host, ip));
    if (now && (mine || joinedFiles)) {
      const refused = mine && removalRefusal(now, mine);
      if (refused) ctx.fail(refused);
      ctx.warn(
        `recovering ${ctx.host}: ${mine ? `its etcd member ${mine.id} is ${staleness(mine)}` : 'no etcd member'}, node files ${joinedFiles ? 'present' : 'absent'}: ${joinedFiles ? 'kubeadm reset, ' : ''}member removed by ID through ${seedHost}, join again`,
      );
      if (joinedFiles) await resetKeepingManifests(ctx, 'stale member');
      // kubeadm reset removes the member itself when it still can; what is left goes here
      const after = await waitForMembers(seed, 'etcd members after reset', () => true, 0);
      const stale = after && memberOf(after, ctx.host, ip);
      if (stale)
        await seed.shell({ cmd: removeMemberCommand(stale.id) }, { name: `remove stale member ${stale.id}` });
    } else if (!now && joinedFiles && p.etcd_rejoin_after_restore) {
      // a check run of a restore: the members exist only after the restore, and this node's
      // member is not among them (a restore makes a one-member cluster), so the run resets it
      await resetKeepingManifests(ctx, 'stale member');
    }
    // the gate: every other member started, voting and healthy
    await waitForMembers(
      seed,
      'etcd healthy, every other member started and voting',
      (m) => allVoting(others(m)),
      p.etcd_gate_retries,
    );

    // the control-plane images first, so the join does not time out on a slow registry
    await ctx.command(
      { cmd: `kubeadm config images pull --kubernetes-version v${p.kubernetes_version}` },
      { name: 'pull the control-plane images' },
    );
    const join = await joinCommand(
      ctx,
      p.join_material_min_validity,
      { name: ctx.host, ip },
      {
        bindPort: p.apiserver_port,
      },
    );
    await ctx.command(
      { cmd: join.cmd, stdin: join.stdin },
      { name: 'kubeadm join --control-plane', noLog: true },
    );
    await waitForMembers(
      seed,
      `${ctx.host} promoted, every member healthy`,
      (m) => allVoting(m) && Boolean(memberOf(m, ctx.host, ip)?.name),
      p.etcd_gate_retries,
    );
    await ctx.file({ path: '/root/.kube', state: 'directory', mode: '0700' });
    await ctx.command(
      { cmd: 'install -m 0600 /etc/kubernetes/admin.conf /root/.kube/config', creates: '/root/.kube/config' },
      { name: 'admin kubeconfig for root' },
    );
  },
};

function staleness(m: Member): string {
  if (!m.name) return 'not started';
  if (m.learner) return 'a learner';
  return m.healthy ? 'without node files' : 'not answering';
}

export default role;
