/**
 * `npm run bench:copies`: `copy` of one random file (1 MB .. 100 MB) to 1 lab host and to all of
 * them, quorum against ansible-playbook (best settings): the first run (the transfer) and the
 * converged run (nothing to do: a checksum on each side). Issue 25: converged time linear in
 * the size and within 2x of Ansible at 30 MB. Reports wall, controller CPU and peak RSS.
 *   --hosts N (30)  --sizes 1,8,30,100  --engines quorum,ansible-best
 */

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp, stateDir } from '../../src/lab/lab.ts';
import { type Sample, timed } from './measure.ts';

const ROOT = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const HOSTS = Number(flag('hosts', '30'));
const SIZES = flag('sizes', '1,8,30,100').split(',').map(Number);
const ENGINES = flag('engines', 'quorum,ansible-best').split(',');
const log = (m: string) => process.stderr.write(`${m}\n`);

const PLAYBOOK = `- hosts: "{{ target }}"
  gather_facts: false
  tasks:
    - file: { path: /srv/bench-copy, state: directory }
    - name: the bench file
      copy: { src: "{{ file }}", dest: /srv/bench-copy/file.bin, mode: "0644" }
`;

const CLEAN = `- hosts: "{{ target }}"
  gather_facts: false
  tasks:
    - file: { path: /srv/bench-copy, state: absent }
`;

async function main() {
  await labUp(HOSTS, log);
  const inventory = join(stateDir(), 'inventory.yml');
  const work = mkdtempSync(join(tmpdir(), 'bench-copies-'));
  const ansibleInv = join(work, 'inventory.yml');
  writeFileSync(
    ansibleInv,
    readFileSync(inventory, 'utf8').replace(
      '  vars:\n',
      '  vars:\n    ansible_python_interpreter: /usr/bin/python3\n',
    ),
  );
  writeFileSync(join(work, 'copy.yml'), PLAYBOOK);
  const home = join(work, 'home');
  mkdirSync(home);
  const ansibleEnv: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ANSIBLE_'))),
    HOME: home,
    ANSIBLE_FORKS: String(HOSTS),
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_GATHERING: 'explicit',
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -o ControlPersist=600s',
  };
  writeFileSync(join(work, 'clean.yml'), CLEAN);
  const clean = (target: string) =>
    timed(
      process.execPath,
      [
        join(ROOT, 'bin/quorum.js'),
        'play',
        join(work, 'clean.yml'),
        '-i',
        inventory,
        '-e',
        `target=${target}`,
      ],
      process.env,
      ROOT,
    );
  const run = (engine: string, target: string, file: string): Promise<Sample> => {
    const extra = ['-e', `target=${target}`, '-e', `file=${file}`];
    return engine === 'quorum'
      ? timed(
          process.execPath,
          [join(ROOT, 'bin/quorum.js'), 'play', join(work, 'copy.yml'), '-i', inventory, ...extra],
          process.env,
          ROOT,
        )
      : timed('ansible-playbook', ['-i', ansibleInv, join(work, 'copy.yml'), ...extra], ansibleEnv, work);
  };

  const rows: string[] = [];
  const results: Record<string, Sample> = {};
  for (const mb of SIZES) {
    const file = join(work, `f${mb}.bin`);
    writeFileSync(file, randomBytes(mb * 1024 * 1024));
    for (const target of ['w1', 'all']) {
      for (const engine of ENGINES) {
        await clean(target);
        const first = await run(engine, target, file);
        const converged = await run(engine, target, file);
        for (const [scenario, s] of [
          ['first', first],
          ['converged', converged],
        ] as const) {
          const key = `${engine}/${target === 'all' ? HOSTS : 1}h/${mb}MB/${scenario}`;
          results[key] = s;
          const row = `${key.padEnd(38)} ${s.wall.toFixed(2).padStart(7)} s  cpu ${s.cpu.toFixed(2).padStart(6)} s  rss ${s.rssMb.toFixed(0).padStart(5)} MB${s.code ? `  exit ${s.code}` : ''}`;
          rows.push(row);
          log(row);
        }
      }
    }
  }
  await clean('all');
  const ratio = (hosts: number, mb: number) => {
    const a = results[`ansible-best/${hosts}h/${mb}MB/converged`];
    const q = results[`quorum/${hosts}h/${mb}MB/converged`];
    return a && q ? `${(q.wall / a.wall).toFixed(2)}x` : 'n/a';
  };
  const summary = SIZES.flatMap((mb) =>
    [1, HOSTS].map((h) => `converged quorum/ansible, ${h} host(s), ${mb} MB: ${ratio(h, mb)}`),
  );
  process.stdout.write(`${[...rows, '', ...summary].join('\n')}\n`);
  const out = join(
    ROOT,
    'test/bench/results',
    `copies-${HOSTS}h-${new Date().toISOString().slice(0, 10)}.json`,
  );
  writeFileSync(out, `${JSON.stringify({ hosts: HOSTS, sizes: SIZES, results }, null, 2)}\n`);
  log(`written: ${out}`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
