// etcd-restore: a cluster that lost etcd quorum brought back from a snapshot (etcd-backup's).
// On the first control-plane node, in its etcd pod (etcdutl, so the tool matches the cluster's
// etcd): the snapshot restored into a new data folder as a one-member cluster with a new
// cluster token, etcd and the apiserver stopped (their manifests moved aside), the data folder
// swapped (the old one kept), both started again. The other control-plane nodes then rejoin
// through etcd-join (playbooks/etcd-restore.yml): their members are not in the restored cluster.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { known, type RoleDefinition } from 'quorum';
import { etcdctl, nodeAddress, waitForMembers, withEtcd } from 'quorum/cluster';

export interface EtcdRestoreParams {
  snapshot: string;
  etcd_restore_force: boolean;
}

const DATA = '/var/lib/etcd';
const COPY = `${DATA}/quorum-restore.db`;
/** The sha256 of the snapshot this data folder was restored from: a second run is no change. */
const MARKER = `${DATA}/quorum-restored-from`;

/** The snapshot's sha256, checked against its record (.json beside it); an error when they differ. */
export function checkedSnapshot(file: string): { sha256?: string; error?: string } {
  let bytes: Buffer;
  let record: { sha256?: string };
  try {
    bytes = readFileSync(file);
  } catch {
    return { error: `snapshot ${file} cannot be read on the controller` };
  }
  try {
    record = JSON.parse(readFileSync(file.replace(/\.db$/, '.json'), 'utf8'));
  } catch {
    return {
      error: `snapshot ${file} has no readable record ${file.replace(/\.db$/, '.json')} (etcd-backup writes one)`,
    };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (record.sha256 !== sha256)
    return {
      error: `snapshot ${file} has sha256 ${sha256}, its record says ${record.sha256}: not the file that was backed up`,
    };
  return { sha256 };
}

export function restoreScript(name: string, ip: string, token: string, sha256: string): string {
  const peer = `https://${ip}:2380`;
  const flags = `--name ${name} --initial-cluster ${name}=${peer} --initial-advertise-peer-urls ${peer} --initial-cluster-token ${token} --data-dir ${DATA}/quorum-restored`;
  const gone = `i=0; while [ -n "$(crictl ps --name '^etcd$' -q 2>/dev/null)" ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done`;
  return [
    'set -e',
    `rm -rf ${DATA}/quorum-restored`,
    // etcdutl where the image has it (3.5+), etcdctl snapshot restore for 3.4
    `crictl exec "$c" etcdutl snapshot restore ${COPY} ${flags} 2>/dev/null || crictl exec "$c" etcdctl snapshot restore ${COPY} ${flags}`,
    'mkdir -p /etc/kubernetes/manifests.quorum-restore',
    'for f in etcd.yaml kube-apiserver.yaml; do [ ! -e /etc/kubernetes/manifests/$f ] || mv /etc/kubernetes/manifests/$f /etc/kubernetes/manifests.quorum-restore/; done',
    gone,
    `old=/var/lib/etcd-before-restore-$(date +%Y%m%dT%H%M%S); mkdir -p "$old"; [ ! -d ${DATA}/member ] || mv ${DATA}/member "$old"/`,
    `mv ${DATA}/quorum-restored/member ${DATA}/member && rmdir ${DATA}/quorum-restored && rm -f ${COPY}`,
    `echo ${sha256} > ${MARKER}`,
    'mv /etc/kubernetes/manifests.quorum-restore/* /etc/kubernetes/manifests/ && rmdir /etc/kubernetes/manifests.quorum-restore',
  ].join('\n');
}

const role: RoleDefinition<EtcdRestoreParams> = {
  name: 'etcd-restore',
  publishes: [],
  description: 'a cluster that lost etcd quorum restored from a snapshot on the first control-plane node',
  params: {
    type: 'object',
    properties: {
      snapshot: {
        type: 'string',
        minLength: 1,
        description: "the snapshot on the controller (etcd-backup's .db, its .json beside it)",
      },
      etcd_restore_force: {
        type: 'boolean',
        default: false,
        description: 'restore even though etcd still has quorum (every write since the snapshot is lost)',
      },
    },
    required: ['snapshot'],
    additionalProperties: false,
  },
  check(entries) {
    return entries.flatMap((e) => {
      const { error } = checkedSnapshot(e.params.snapshot);
      return error ? [error] : [];
    });
  },
  async run(ctx, p) {
    const { sha256, error } = checkedSnapshot(p.snapshot);
    if (!sha256) return ctx.fail(error ?? 'snapshot unreadable');
    const ip = nodeAddress(ctx.host, ctx.vars);
    const state = await ctx.query(
      {
        cmd: withEtcd(
          `cat ${MARKER} 2>/dev/null || echo none; ${etcdctl('endpoint health')} >/dev/null 2>&1 && echo quorum || echo no-quorum`,
        ),
      },
      { name: 'etcd has quorum? restored from this snapshot before?' },
    );
    const [from, quorum] = known(state.result.stdout)?.trim().split('\n') ?? [];
    if (quorum === 'quorum' && from === sha256) return; // this snapshot, restored, and healthy: done
    if (quorum === 'quorum' && !p.etcd_restore_force)
      ctx.fail(
        'etcd on this node has quorum: a restore would lose every write since the snapshot; it is for a cluster that lost quorum (etcd_restore_force=true to restore anyway)',
      );
    await ctx.copy({ src: p.snapshot, dest: COPY, mode: '0600' }, { name: 'the snapshot to the node' });
    const token = `quorum-restore-${sha256.slice(0, 12)}`;
    await ctx.shell(
      { cmd: withEtcd(restoreScript(ctx.host, ip, token, sha256)) },
      { name: `restore etcd from ${p.snapshot} (one member, token ${token})` },
    );
    await waitForMembers(
      ctx,
      'restored etcd: one member, healthy',
      (m) => m.length === 1 && m[0].healthy,
      60,
    );
  },
};

export default role;
