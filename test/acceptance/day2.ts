/**
 * Day-2 acceptance on real machines, after cluster.ts's checks (same inventory and options):
 *   npm run test:cluster -- -i inventory/site.yml [--upgrade-to 1.37.4] [-e @secrets.yml ...]
 * 6. etcd-backup.yml: a snapshot on the controller whose sha256 matches its record;
 * 7. scale-out, delta only: the last worker removed (remove-node.yml), added back with
 *    `cluster.yml --limit` (only it changes, but for the join material minted on the init node),
 *    Ready again;
 * 8. a control-plane node replaced: the last one removed (its etcd member by ID), added back
 *    with `--limit`: one voting member per control-plane node again;
 * 9. with --upgrade-to: upgrade.yml to that version, every kubelet reports it, a second run
 *    changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

export interface Day2Context {
  /** quorum play options (-i, -e ...), without --upgrade-to. */
  args: string[];
  cps: string[];
  workers: string[];
  check: (ok: boolean, what: string) => void;
  /** A command on the first control-plane node, its stdout. */
  onCp1: (cmd: string) => Promise<string>;
  upgradeTo?: string;
}

/** One playbook run: exit code, and the steps that changed, as "host task". */
export function playbook(book: string, args: string[]): { code: number; changed: string[] } {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/quorum.js'), 'play', join(ROOT, 'playbooks', book), ...args, '--json'],
    { encoding: 'utf8', stdio: ['inherit', 'pipe', 'inherit'] },
  );
  const changed = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"type":"step"'))
    .map((l) => JSON.parse(l) as { host: string; task: string; status: string })
    .filter((e) => e.status === 'changed' || e.status === 'would_change')
    .map((e) => `${e.host} ${e.task}`);
  return { code: r.status ?? -1, changed };
}

const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

export async function day2(c: Day2Context) {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-acceptance-backup-'));
  const backup = playbook('etcd-backup.yml', [...c.args, '-e', `etcd_backup_dir=${dir}`]);
  const db = readdirSync(dir).find((f) => f.endsWith('.db'));
  const record = db && JSON.parse(readFileSync(join(dir, db.replace(/\.db$/, '.json')), 'utf8'));
  c.check(
    backup.code === 0 &&
      !!db &&
      record.sha256 ===
        createHash('sha256')
          .update(readFileSync(join(dir, db)))
          .digest('hex'),
    `etcd-backup.yml: a snapshot on the controller, its sha256 as recorded (${db ?? 'none'})`,
  );

  const nodeNames = async () => (await c.onCp1(`${KUBECTL} get nodes -o name`)).trim().split('\n');
  for (const node of [c.workers.at(-1), c.cps.at(-1)].filter((n): n is string => !!n)) {
    const removed = playbook('remove-node.yml', [...c.args, '-e', `node=${node}`]);
    c.check(
      removed.code === 0 && !(await nodeNames()).includes(`node/${node}`),
      `remove-node.yml -e node=${node}`,
    );
    const added = playbook('cluster.yml', [...c.args, '--limit', node]);
    const outside = added.changed.filter(
      (s) =>
        !s.startsWith(`${node} `) && !/kubeadm-init: (mint a bootstrap token|upload certificates)/.test(s),
    );
    c.check(
      added.code === 0 && outside.length === 0 && (await nodeNames()).includes(`node/${node}`),
      `cluster.yml --limit ${node} adds it back, changing nothing else (${outside.join('; ') || 'nothing'})`,
    );
  }
  const members = await c.onCp1(
    "crictl exec $(crictl ps --name '^etcd$' -q | head -n1) etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key member list -w simple",
  );
  const voters = members.split('\n').filter((l) => /, started, .*, false$/.test(l.trim()));
  c.check(
    voters.length === c.cps.length,
    `after the replacement, ${voters.length} voting members of ${c.cps.length}`,
  );

  if (!c.upgradeTo) return;
  const up = playbook('upgrade.yml', [...c.args, '-e', `kubernetes_version=${c.upgradeTo}`]);
  const kubelets = (
    await c.onCp1(`${KUBECTL} get nodes -o jsonpath='{.items[*].status.nodeInfo.kubeletVersion}'`)
  )
    .trim()
    .split(/\s+/);
  c.check(
    up.code === 0 && kubelets.every((v) => v === `v${c.upgradeTo}`),
    `upgrade.yml to ${c.upgradeTo}: kubelets ${kubelets.join(', ')}`,
  );
  const again = playbook('upgrade.yml', [...c.args, '-e', `kubernetes_version=${c.upgradeTo}`]);
  c.check(
    again.code === 0 && again.changed.length === 0,
    `upgrade.yml again changes nothing (${again.changed.length})`,
  );
}
