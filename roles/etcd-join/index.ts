// etcd-join: the other control-plane nodes, `kubeadm join --control-plane` strictly one at a
// time (CLUSTER.md 1.8): etcd admits one learner, so each join waits until every member is
// started, voting and healthy, and the next waits until the new member is promoted. A join
// that stopped after its etcd phase is recovered: reset the node, remove its stale member
// through a healthy one, join again; the report says so.

import type { RoleDefinition } from 'quorum';
import { joinArgv, joinMaterialParam, nodeAddress } from 'quorum/cluster';
import { clusterParamSchema } from '../kubeadm-init/schema.ts';
import { allVoting, etcdctl, type Member, memberOf, waitForMembers } from './etcd.ts';

export interface EtcdJoinParams {
  apiserver_port: number;
  etcd_gate_retries: number;
  join_material_min_validity: number;
}

const role: RoleDefinition<EtcdJoinParams> = {
  name: 'etcd-join',
  description: 'control-plane joins, one at a time, gated on etcd health; recovers a half-done join',
  needs: ['kubeadm-init'],
  throttle: 1,
  params: {
    type: 'object',
    properties: {
      apiserver_port: clusterParamSchema.apiserver_port,
      etcd_gate_retries: {
        type: 'integer',
        minimum: 0,
        default: 60,
        description: 'polls (2 s apart) for etcd to be healthy before and after a join',
      },
      join_material_min_validity: joinMaterialParam,
    },
    required: ['apiserver_port', 'etcd_gate_retries', 'join_material_min_validity'],
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
    const now = await waitForMembers(seed, 'etcd members', () => true, 0);
    const voting = now && memberOf(now, ctx.host, ip);
    if (joinedFiles && voting?.name && !voting.learner) return; // a voting member already

    // the gate: every other member started, voting and healthy (this node's own stale member,
    // if any, is removed below)
    const others = (m: Member[]) => m.filter((x) => x !== memberOf(m, ctx.host, ip));
    const before = await waitForMembers(
      seed,
      'etcd healthy, every other member started and voting',
      (m) => allVoting(others(m)),
      p.etcd_gate_retries,
    );
    const mine = before && memberOf(before, ctx.host, ip);
    if (before && (mine || joinedFiles)) {
      // a join that stopped half way: kubeadm join cannot be run again over it (kubeadm#2095)
      ctx.warn(
        `recovering a half-done join (${mine ? `etcd member ${mine.id} ${mine.learner ? 'is a learner' : 'is not started'}` : 'no etcd member'}, node files ${joinedFiles ? 'present' : 'absent'}): kubeadm reset, member removed through ${seedHost}, join again`,
      );
      await ctx.command({ cmd: 'kubeadm reset -f' }, { name: 'reset the half-joined node' });
      // kubeadm reset removes the member itself when it still can; what is left goes here
      const after = await waitForMembers(seed, 'etcd members after reset', () => true, 0);
      const stale = after && memberOf(after, ctx.host, ip);
      if (stale)
        await seed.command(
          { cmd: etcdctl(`member remove ${stale.id}`) },
          { name: `remove stale member ${stale.id}` },
        );
    }

    const validFor = p.join_material_min_validity;
    const join = await joinArgv(ctx, validFor);
    const key = await ctx.lookupFresh('kubeadm-init', 'certificate_key', { validFor });
    await ctx.command(
      {
        argv: [
          ...join,
          '--control-plane',
          '--certificate-key',
          key as string,
          '--apiserver-advertise-address',
          ip,
          '--apiserver-bind-port',
          String(p.apiserver_port),
        ],
      },
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

export default role;
