// etcd-backup: a snapshot of the stacked etcd, taken in a healthy member's etcd pod (etcdctl
// snapshot save), checked (etcdutl snapshot status), and fetched to the controller with its
// sha256 and what it holds (revision, keys, the cluster's Kubernetes version) in a .json beside
// it; the newest `etcd_backup_keep` kept. Every run takes a new snapshot: that is its job.
import type { RoleDefinition } from 'quorum';
import { etcdctl, memberOf, nodeAddress, SNAPSHOT_STATUS, waitForMembers, withEtcd } from 'quorum/cluster';

export interface EtcdBackupParams {
  etcd_backup_dir: string;
  etcd_backup_keep: number;
  cluster_name: string;
  kubernetes_version: string;
}

/** On the host, in the etcd data folder: the etcd pod mounts it at the same path. */
const SNAPSHOT = '/var/lib/etcd/quorum-snapshot.db';

const stamp = () =>
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

const role: RoleDefinition<EtcdBackupParams> = {
  name: 'etcd-backup',
  publishes: [],
  description:
    'etcd snapshot from a healthy member, checked, fetched to the controller with its sha256; keeps N',
  params: {
    type: 'object',
    properties: {
      etcd_backup_dir: {
        type: 'string',
        default: 'etcd-backups',
        description: 'controller folder for the snapshots (relative: to the current folder)',
      },
      etcd_backup_keep: { type: 'integer', minimum: 1, default: 7, description: 'snapshots kept there' },
      cluster_name: { type: 'string', default: 'kubernetes', description: "the snapshots' name prefix" },
      kubernetes_version: { type: 'string', description: 'recorded with the snapshot' },
    },
    required: ['kubernetes_version'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const ip = nodeAddress(ctx.host, ctx.vars);
    // a snapshot of a member that is not healthy could be stale
    await waitForMembers(
      ctx,
      `${ctx.host}'s etcd member healthy`,
      (m) => Boolean(memberOf(m, ctx.host, ip)?.healthy),
      5,
    );
    await ctx.shell(
      { cmd: withEtcd(etcdctl(`snapshot save ${SNAPSHOT}`)) },
      { name: 'etcdctl snapshot save' },
    );
    const checked = await ctx.query(
      { cmd: `${withEtcd(SNAPSHOT_STATUS(SNAPSHOT))} && sha256sum ${SNAPSHOT}` },
      { name: 'snapshot status and sha256' },
    );
    const out = checked.result.stdout;
    const name = `${p.cluster_name}-etcd-${stamp()}`;
    const dir = p.etcd_backup_dir.replace(/\/+$/, '');
    let meta: string = out as string; // known after apply in a check run: passed on as it is
    if (typeof out === 'string') {
      // one line of JSON, then sha256sum's line
      const lines = out.trim().split('\n');
      const status = JSON.parse(lines[0]) as {
        hash: number;
        revision: number;
        totalKey: number;
        totalSize: number;
      };
      const sum = lines.at(-1);
      meta = `${JSON.stringify(
        {
          cluster: p.cluster_name,
          kubernetes_version: p.kubernetes_version,
          taken_at: new Date().toISOString(),
          taken_on: ctx.host,
          file: `${name}.db`,
          sha256: sum?.split(/\s+/)[0],
          ...status,
        },
        null,
        2,
      )}\n`;
    }
    await ctx.copy({ dest: `${SNAPSHOT}.json`, content: meta, mode: '0600' }, { name: 'snapshot record' });
    await ctx.ensure(
      'fetch',
      { src: SNAPSHOT, dest: `${dir}/${name}.db`, flat: true },
      { name: 'fetch the snapshot' },
    );
    await ctx.ensure(
      'fetch',
      { src: `${SNAPSHOT}.json`, dest: `${dir}/${name}.json`, flat: true },
      { name: 'fetch its record' },
    );
    await ctx.command(
      { cmd: `rm -f ${SNAPSHOT} ${SNAPSHOT}.json` },
      { name: 'remove the snapshot from the node' },
    );
    for (const suffix of ['.db', '.json'])
      await ctx.ensure(
        'backup_rotate',
        { path: dir, prefix: `${p.cluster_name}-etcd-`, suffix, keep: p.etcd_backup_keep },
        { name: `keep ${p.etcd_backup_keep} (${suffix})` },
      );
  },
};

export default role;
