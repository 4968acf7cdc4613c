/**
 * cluster.yml where a first run on real machines goes wrong (issue 18's audit), on the lab with
 * real etcd and the stricter stand-ins: a version change of a live cluster refused before any
 * change, a reinstalled control-plane node whose old etcd member is dead, a worker join and an
 * init that stopped half way. Runs after lab-cluster.suite.ts (the cluster is converged).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import {
  CLUSTER,
  clusterLab,
  ETCDCTL,
  HOSTS,
  members,
  STOP_NODE,
  sh,
  standinLog,
  stateOf,
  THREE_VOTERS,
  votingMembers,
} from '../helpers/cluster-lab.ts';
import { canRunLab, changedCount, playJsonAsync } from '../helpers/lab.ts';

const BACKUP = join(CLUSTER, '../etcd-backup.yml');
const RESTORE = join(CLUSTER, '../etcd-restore.yml');

type NodeEnd = Extract<RunEvent, { type: 'node_end' }>;
const warnings = (events: RunEvent[]) =>
  events
    .filter((e): e is Extract<RunEvent, { type: 'warning' }> => e.type === 'warning')
    .map((e) => e.message);

const changes = (events: RunEvent[], status: 'changed' | 'would_change') =>
  events.flatMap((e) => (e.type === 'step' && e.status === status ? [`${e.host} ${e.task}`] : []));
/** A check run's predictions that depend on no earlier predicted change. */
const certain = (events: RunEvent[]) =>
  events.flatMap((e) =>
    e.type === 'step' && e.status === 'would_change' && !e.maybe && !e.prediction
      ? [`${e.host} ${e.task}`]
      : [],
  );

describe.runIf(canRunLab)('cluster.yml recovers what a first real run meets', () => {
  const lab = clusterLab(false);

  it('starts from a converged cluster', async () => {
    const r = await lab.play();
    expect(r.code, standinLog(r)).toBe(0);
    expect(votingMembers()).toEqual(THREE_VOTERS);
  }, 600_000);

  it('a minor or patch change of kubernetes_version on a live cluster is refused before any change, naming the upgrade', async () => {
    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    for (const version of ['1.36.1', '1.35.4']) {
      const r = await lab.play(['-e', `kubernetes_version=${version}`]);
      expect(r.code).toBe(2);
      const failed = r.events.filter((e): e is NodeEnd => e.type === 'node_end' && e.status === 'failed');
      // every node refuses in its preflight; nothing else ran anywhere
      expect(failed.map((e) => e.host).sort()).toEqual([...HOSTS].sort());
      for (const f of failed) {
        expect(f.item).toBe('role node-preflight');
        expect(JSON.stringify(f)).toContain(version.endsWith('.1') ? 'minor upgrade' : 'patch change');
        expect(JSON.stringify(f)).toContain('playbooks/upgrade.yml');
      }
      expect(changedCount(r.events)).toBe(0);
    }
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
  }, 300_000);

  it('a reinstalled control-plane node (its old etcd member dead) is rejoined: the stale member removed by ID', async () => {
    const old = members().find((m) => m.name === 'cp3')!;
    sh('cp3', STOP_NODE);
    // what a reinstall leaves: none of the node's Kubernetes state
    sh('cp3', 'rm -rf /etc/kubernetes /var/lib/etcd /var/lib/kubelet /root/.kube');
    const r = await lab.play();
    expect(r.code, standinLog(r)).toBe(0);
    expect(warnings(r.events).join('\n')).toMatch(
      new RegExp(`recovering cp3: its etcd member ${old.id} is not answering`),
    );
    expect(votingMembers()).toEqual(THREE_VOTERS);
    expect(members().find((m) => m.name === 'cp3')?.id).not.toBe(old.id);
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 600_000);

  it('a worker join stopped half way (files left, no kubelet.conf) is reset and joined again', async () => {
    expect(sh('w1', 'kubeadm reset -f').code).toBe(0);
    sh('w1', 'mkdir -p /etc/kubernetes && touch /etc/kubernetes/standin-fail-join-after-kubelet-start');
    const broken = await lab.play();
    expect(broken.code).toBe(2);
    // what kubeadm join refuses to run over the next time
    expect(
      sh('w1', 'test -e /etc/kubernetes/pki/ca.crt && test ! -e /etc/kubernetes/kubelet.conf').code,
    ).toBe(0);
    sh('w1', 'rm -f /etc/kubernetes/standin-fail-join-after-kubelet-start');
    const fixed = await lab.play();
    expect(fixed.code, standinLog(fixed)).toBe(0);
    expect(warnings(fixed.events).join('\n')).toMatch(/recovering w1: a join left .*ca\.crt/);
    expect(sh('w1', 'test -s /etc/kubernetes/kubelet.conf').code).toBe(0);
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 600_000);

  it('disaster drill: backup, quorum lost (two of three members down), restore: the data of the backup, not after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-etcd-backups-'));
    const put = (key: string) => sh('cp1', `${ETCDCTL} put /drill/${key} yes`);
    const get = (key: string) => sh('cp1', `${ETCDCTL} get /drill/${key} --print-value-only`).stdout.trim();
    expect(put('before').code).toBe(0);
    // its check run writes nothing, on the nodes or on the controller, and says what it would do
    const unchanged = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const dry = await playJsonAsync(BACKUP, ['-e', `etcd_backup_dir=${dir}`, '--check']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(changes(dry.events, 'would_change').some((c) => c.startsWith('cp1 etcd-backup:'))).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(unchanged[h]);
    const backup = await playJsonAsync(BACKUP, ['-e', `etcd_backup_dir=${dir}`, '-e', 'etcd_backup_keep=2']);
    expect(backup.code, backup.stderr).toBe(0);
    const snapshots = readdirSync(dir).filter((f) => f.endsWith('.db'));
    expect(snapshots).toHaveLength(1);
    const file = join(dir, snapshots[0]);
    const record = JSON.parse(readFileSync(file.replace(/\.db$/, '.json'), 'utf8'));
    expect(record.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(record).toMatchObject({ kubernetes_version: '1.35.3', taken_on: 'cp1' });
    expect(record.totalKey).toBeGreaterThan(0);
    // nothing left on the node
    expect(sh('cp1', 'ls /var/lib/etcd/quorum-snapshot.db').code).not.toBe(0);

    expect(put('after').code).toBe(0);
    sh('cp3', STOP_NODE);
    sh('cp2', STOP_NODE);
    expect(put('lost').code).not.toBe(0);

    // a snapshot whose record does not match is refused before any host is touched
    const bad = join(dir, 'tampered.db');
    writeFileSync(bad, Buffer.concat([readFileSync(file), Buffer.from('x')]));
    writeFileSync(bad.replace(/\.db$/, '.json'), readFileSync(file.replace(/\.db$/, '.json')));
    const refused = await playJsonAsync(RESTORE, ['-e', `snapshot=${bad}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/tampered\.db has sha256 .* its record says/);

    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const check = await playJsonAsync(RESTORE, ['-e', `snapshot=${file}`, '--check']);
    expect(check.code).toBe(0);
    expect(
      check.events.some(
        (e) => e.type === 'step' && e.host === 'cp1' && e.task.startsWith('etcd-restore: restore etcd from'),
      ),
    ).toBe(true);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);

    const restored = await playJsonAsync(RESTORE, ['-e', `snapshot=${file}`]);
    expect(restored.code, standinLog(restored)).toBe(0);
    // the check run foresaw every change, and each change it was sure of happened (the rest it
    // marked "may change": they follow the restore, whose result exists only after it)
    const done = changes(restored.events, 'changed');
    expect(done.filter((c) => !changes(check.events, 'would_change').includes(c))).toEqual([]);
    expect(certain(check.events).filter((c) => !done.includes(c))).toEqual([]);
    expect(votingMembers()).toEqual(THREE_VOTERS);
    expect(get('before')).toBe('yes');
    expect(get('after')).toBe('');
    expect(put('later').code).toBe(0);
    // the same command again: restored from this snapshot, healthy: nothing to do
    expect(changedCount((await playJsonAsync(RESTORE, ['-e', `snapshot=${file}`])).events)).toBe(0);
    // with quorum, another restore is refused (writes since the snapshot would be lost)
    const again = await playJsonAsync(BACKUP, ['-e', `etcd_backup_dir=${dir}`, '-e', 'etcd_backup_keep=1']);
    expect(again.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.db') && f !== 'tampered.db')).toHaveLength(1);
    const other = join(dir, readdirSync(dir).filter((f) => f.endsWith('.db') && f !== 'tampered.db')[0]);
    const healthy = await playJsonAsync(RESTORE, ['-e', `snapshot=${other}`]);
    expect(healthy.code).toBe(2);
    expect(JSON.stringify(healthy.events)).toContain(
      'has quorum: a restore would lose every write since the snapshot',
    );
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 900_000);

  it('a kubeadm init that stopped after writing admin.conf is reset and run again, not skipped', async () => {
    // the whole cluster gone, then cp1's init fails after its kubeconfig and etcd phases
    for (const h of ['w1', 'w2', 'cp3', 'cp2', 'cp1']) expect(sh(h, 'kubeadm reset -f').code).toBe(0);
    sh('cp1', 'mkdir -p /etc/kubernetes && touch /etc/kubernetes/standin-fail-init-after-wait');
    const broken = await lab.play();
    expect(broken.code).toBe(2);
    expect(sh('cp1', 'test -e /etc/kubernetes/admin.conf').code).toBe(0);
    sh('cp1', 'rm -f /etc/kubernetes/standin-fail-init-after-wait');
    // admin.conf alone used to mean "initialised": the joins then failed on a cluster that never was
    const fixed = await lab.play();
    expect(fixed.code, standinLog(fixed)).toBe(0);
    expect(warnings(fixed.events).join('\n')).toMatch(/cp1: a kubeadm init stopped before it finished/);
    expect(votingMembers()).toEqual(THREE_VOTERS);
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 900_000);
});
