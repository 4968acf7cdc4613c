// upgrade-plan: before any node changes, what would stop the upgrade, all of it at once: the
// version rules (one minor at a time, no downgrade, no kubelet newer than the target) and, per
// node still to upgrade, a server-side dry-run drain that names the PodDisruptionBudgets that
// would block it, and APIs the target no longer serves that clients still ask the API servers for
// (their apiserver_requested_deprecated_apis gauge). Then the plan: which nodes upgrade, which are done already (a resumed run).
import { known, type RoleContext, type RoleDefinition } from 'quorum';
import {
  kubeMinor,
  type NodeVersions,
  nodeUpgraded,
  removedApiUse,
  SUPPORTED_MINORS,
  upgradeRefusals,
} from 'quorum/cluster';
import { clusterParamSchema } from '../kubeadm-init/schema.ts';

export interface UpgradePlanParams {
  kubernetes_version: string;
  control_plane_group: string;
  workers_group: string;
  kubeconfig: string;
  upgrade_allow_removed_apis: boolean;
}

/** Every node's versions (undefined in a check run where they are known only after apply). */
function versionsOf(ctx: RoleContext, hosts: string[]) {
  const out: Array<{ name: string; versions: NodeVersions }> = [];
  for (const name of hosts) {
    const v = ctx.lookup('upgrade-facts', 'versions', name);
    if (!v || typeof v !== 'object') return undefined;
    out.push({ name, versions: v as NodeVersions });
  }
  return out;
}

const role: RoleDefinition<UpgradePlanParams> = {
  name: 'upgrade-plan',
  description: 'what would stop an upgrade (versions, PodDisruptionBudgets), refused before any change',
  needs: ['upgrade-facts'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      kubernetes_version: clusterParamSchema.kubernetes_version,
      control_plane_group: clusterParamSchema.control_plane_group,
      workers_group: clusterParamSchema.workers_group,
      kubeconfig: {
        type: 'string',
        default: '/etc/kubernetes/admin.conf',
        description: "the cluster's admin kubeconfig",
      },
      upgrade_allow_removed_apis: {
        type: 'boolean',
        default: false,
        description:
          'upgrade even though clients asked an API server for APIs the target no longer serves (a warning instead of a refusal)',
      },
    },
    required: ['kubernetes_version'],
    additionalProperties: false,
  },
  check(entries) {
    const target = entries[0]?.params.kubernetes_version;
    if (!target) return [];
    const minor = kubeMinor(target);
    return minor >= SUPPORTED_MINORS.min && minor <= SUPPORTED_MINORS.max
      ? []
      : [
          `kubernetes_version ${target} is not a minor quorum supports (1.${SUPPORTED_MINORS.min} to 1.${SUPPORTED_MINORS.max})`,
        ];
  },
  async run(ctx, p) {
    const planes = ctx.hosts(p.control_plane_group);
    const nodes = versionsOf(ctx, [
      ...planes,
      ...ctx.hosts(p.workers_group).filter((h) => !planes.includes(h)),
    ]);
    if (!nodes) return;
    const all = nodes.map((n) => ({ ...n, controlPlane: planes.includes(n.name) }));
    const problems = upgradeRefusals(p.kubernetes_version, all);
    const pending = all.filter((n) => !nodeUpgraded(n.versions, p.kubernetes_version, n.controlPlane));
    for (const n of pending.filter((x) => !x.versions.drained)) {
      // kubectl retries a blocked eviction until --timeout: a few seconds say it
      const dry = await ctx.query(
        {
          cmd: `kubectl --kubeconfig ${p.kubeconfig} drain ${n.name} --dry-run=server --ignore-daemonsets --delete-emptydir-data --timeout=5s 2>&1`,
          ok_codes: [0, 1],
        },
        { name: `drain ${n.name} (server dry run)` },
      );
      const out = known(dry.result.stdout) ?? '';
      if (dry.result.rc === 1)
        problems.push(
          `draining ${n.name} would be blocked: ${out
            .split('\n')
            .filter((l) => /disruption budget|error/i.test(l))
            .join(' | ')}`,
        );
    }
    const removed = removedApiUse(p.kubernetes_version, all);
    if (removed.unread.length)
      ctx.warn(
        `the API server's /metrics did not answer on ${removed.unread.join(', ')}: APIs removed in ${p.kubernetes_version} that clients still use were not checked there`,
      );
    if (removed.inUse.length) {
      const why = `${removed.inUse.join('; ')}. Move those objects and clients to a served version, then restart those API servers (the count is since each started), or set upgrade_allow_removed_apis=true`;
      if (p.upgrade_allow_removed_apis) ctx.warn(why);
      else problems.push(why);
    }
    if (problems.length) ctx.fail(`not upgraded, nothing changed: ${problems.join('; ')}`);
    const done = all.filter((n) => !pending.includes(n)).map((n) => n.name);
    await ctx.ensure('debug', {
      msg: `upgrade to ${p.kubernetes_version}: ${pending.map((n) => n.name).join(', ') || 'nothing left'}${done.length ? `; done already: ${done.join(', ')}` : ''}`,
    });
  },
};

export default role;
