/**
 * `npm run bench:cluster`: day-2 figures on the lab with 3 control-plane nodes + N workers (20),
 * through the stand-ins: cluster.yml first and converged (median of 3), one worker removed and
 * added back with `cluster.yml --limit` (the delta), the upgrade of every node 1.35.3 -> 1.36.1,
 * the disaster drill (backup, two of three etcd members stopped, restore).
 * Wall seconds, side by side; a measurement, not a test (it needs root and the lab).
 *   --workers N (20)
 *   --converged-only   stop after the converged figures (adds them with --persist and writes one
 *                      converged run's event stream to /tmp/quorum-bench-converged.jsonl)
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { STOP_NODE } from '../fixtures/k8s-standin/node-control.ts';
import { serveRepo } from '../fixtures/k8s-standin/repo.ts';
import { buildLabMirror } from '../fixtures/k8s-standin/serve-lab.ts';
import { median, requireFreshBundle, timed } from './measure.ts';

const ROOT = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const at = args.indexOf('--workers');
const WORKERS = at >= 0 ? Number(args[at + 1]) : 20;
const CONVERGED_ONLY = args.includes('--converged-only');
const INVENTORY = '/var/lib/quorum-lab/inventory.yml';
const log = (m: string) => process.stderr.write(`${m}\n`);
const quorum = (...a: string[]) =>
  timed(process.execPath, [join(ROOT, 'bin/quorum.js'), ...a], process.env, ROOT);

async function must(what: string, run: Promise<{ wall: number; code: number; stdout: string }>) {
  const r = await run;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stdout.slice(-2000)}`);
  log(`${what}: ${r.wall.toFixed(2)} s`);
  return r.wall;
}

async function main() {
  requireFreshBundle(ROOT);
  const hosts = String(3 + WORKERS);
  await must('lab down', quorum('lab', 'down'));
  await must(`lab up (${hosts} hosts)`, quorum('lab', 'up', '--hosts', hosts));
  const dir = `/tmp/quorum-bench-standin-${process.pid}`;
  const extra = JSON.stringify(buildLabMirror(dir, join(ROOT, 'test/fixtures/upstream')));
  const server = serveRepo(dir, '198.51.100.1');
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const play = (book: string, ...more: string[]) =>
      quorum('play', join(ROOT, 'playbooks', book), '-i', INVENTORY, '-e', extra, ...more);
    const last = `w${WORKERS}`;
    const figures: Array<[string, number]> = [];
    figures.push(['cluster.yml, first run', await must('first run', play('cluster.yml'))]);
    const converged: number[] = [];
    for (let i = 0; i < 3; i++) converged.push(await must(`converged #${i + 1}`, play('cluster.yml')));
    figures.push(['cluster.yml, converged (median of 3)', median(converged)]);
    if (CONVERGED_ONLY) {
      const persisted: number[] = [];
      for (let i = 0; i < 4; i++)
        persisted.push(await must(`--persist #${i + 1}`, play('cluster.yml', '--persist', '60')));
      figures.push([
        'cluster.yml, converged, --persist (median of the 3 after the first)',
        median(persisted.slice(1)),
      ]);
      await must('converged, logged', play('cluster.yml', '--log', '/tmp/quorum-bench-converged.jsonl'));
      return report(figures);
    }
    figures.push([
      `remove-node.yml -e node=${last}`,
      await must('remove', play('remove-node.yml', '-e', `node=${last}`)),
    ]);
    figures.push([
      `add it back: cluster.yml --limit ${last}`,
      await must('add back (delta)', play('cluster.yml', '--limit', last)),
    ]);
    figures.push([
      `the same, converged: --limit ${last}`,
      await must('delta converged', play('cluster.yml', '--limit', last)),
    ]);
    figures.push([
      `upgrade.yml 1.35.3 -> 1.36.1, ${hosts} nodes`,
      await must('upgrade', play('upgrade.yml', '-e', 'kubernetes_version=1.36.1')),
    ]);
    figures.push([
      'upgrade.yml again (nothing left)',
      await must('upgrade again', play('upgrade.yml', '-e', 'kubernetes_version=1.36.1')),
    ]);
    // the disaster drill: a backup, two of three etcd members stopped (quorum lost), the restore
    const backups = `${dir}-backups`;
    figures.push([
      'etcd-backup.yml',
      await must('backup', play('etcd-backup.yml', '-e', `etcd_backup_dir=${backups}`)),
    ]);
    for (const cp of ['cp2', 'cp3']) await must(`stop ${cp}`, quorum('lab', 'ssh', cp, STOP_NODE));
    const snapshot = readdirSync(backups).find((f) => f.endsWith('.db'));
    const restore = (...more: string[]) =>
      play('etcd-restore.yml', '-e', `snapshot=${join(backups, String(snapshot))}`, ...more);
    figures.push(['etcd-restore.yml --check (quorum lost)', await must('restore check', restore('--check'))]);
    figures.push([`etcd-restore.yml, ${hosts} hosts (quorum lost)`, await must('restore', restore())]);
    figures.push([
      'cluster.yml after the restore',
      await must('converge after', play('cluster.yml', '-e', 'kubernetes_version=1.36.1')),
    ]);
    report(figures);
  } finally {
    server.kill();
  }
}

function report(figures: Array<[string, number]>) {
  process.stdout.write(`\n| 3 + ${WORKERS} lab hosts, stand-ins | wall s |\n|---|---|\n`);
  for (const [what, s] of figures) process.stdout.write(`| ${what} | ${s.toFixed(2)} |\n`);
}

main().catch((e) => {
  log(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
