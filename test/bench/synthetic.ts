/**
 * Planning and scheduling overhead without any network: N hosts behind the recording fake
 * transport (answers instantly), 20 tasks each that only decide (set_fact, assert, debug).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../src/execute/run.ts';
import { RecordingTransport } from '../../src/transport/recording.ts';

const FACTS =
  'os_id=debian\nos_version=12\narch=x86_64\nkernel=6.1\ninit=none\npkg=apt\nhostname=h\ncpus=2\nmem_kb=1000\ncgroupfs=cgroup2fs\nswaps=0\n';

export async function syntheticRun(
  hosts: number,
): Promise<{ seconds: number; nodes: number; rssMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-synth-'));
  writeFileSync(join(dir, 'hosts.ini'), `[all_hosts]\nn[0001:${String(hosts).padStart(4, '0')}]\n`);
  const tasks = Array.from({ length: 20 }, (_, i) =>
    i % 3 === 0
      ? `    - set_fact: { step${i}: "{{ inventory_hostname }}" }`
      : i % 3 === 1
        ? `    - assert: { that: "n > 0", quiet: true }`
        : `    - debug: { msg: "{{ inventory_hostname }} ${i}" }`,
  );
  writeFileSync(join(dir, 'play.yml'), `- hosts: all\n  vars: { n: 1 }\n  tasks:\n${tasks.join('\n')}\n`);
  let nodes = 0;
  const t0 = performance.now();
  await runPlaybook({
    playbook: join(dir, 'play.yml'),
    inventory: [join(dir, 'hosts.ini')],
    reporters: [
      (e) => {
        if (e.type === 'node_end') nodes++;
      },
    ],
    transportFactory: (host) => new RecordingTransport(host, () => ({ code: 0, stdout: FACTS, stderr: '' })),
  });
  return { seconds: (performance.now() - t0) / 1000, nodes, rssMb: process.memoryUsage().rss / 2 ** 20 };
}
