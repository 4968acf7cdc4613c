/**
 * `npm run bench:plugins`: Ansible content that ships its own Python plugins (a lookup and a
 * filter in the playbook's lookup_plugins/ and filter_plugins/), each called once per item of a
 * 20-item loop on the local host, through quorum and through ansible-playbook, side by side:
 * wall time, controller CPU, peak RSS, medians of --runs (3). quorum runs every plugin call in
 * one Python process for the run (src/template/jinja/python-server.ts); before, each call was
 * a Python start with ansible-core's imports. No lab: the plugins run on the controller.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireFreshBundle, type Sample, summarize, timed } from './measure.ts';

const ROOT = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3);

const FILES: Record<string, string> = {
  'hosts.ini': 'h1 ansible_connection=local\n',
  'lookup_plugins/twice.py': `from ansible.plugins.lookup import LookupBase
class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        return [str(t) * 2 for t in terms]
`,
  'filter_plugins/shout.py': `class FilterModule(object):
    def filters(self):
        return {'shout': lambda s: str(s).upper() + '!'}
`,
  'play.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: a lookup plugin per item
      debug: { msg: "{{ lookup('twice', item) }}" }
      loop: "{{ range(20) | list }}"
    - name: a filter plugin per item
      debug: { msg: "{{ item | shout }}" }
      loop: "{{ range(20) | list }}"
`,
};

async function main() {
  requireFreshBundle(ROOT);
  const dir = mkdtempSync(join(tmpdir(), 'bench-plugins-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const quorum: Sample[] = [];
  const ansible: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    quorum.push(
      await timed(
        process.execPath,
        [join(ROOT, 'bin/quorum.js'), 'play', 'play.yml', '-i', 'hosts.ini'],
        process.env,
        dir,
      ),
    );
    ansible.push(await timed('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], process.env, dir));
  }
  const q = summarize(quorum);
  const a = summarize(ansible);
  for (const [name, s] of [
    ['quorum', q],
    ['ansible-playbook', a],
  ] as const)
    process.stdout.write(
      `${name.padEnd(18)} ${s.wall.toFixed(2)} s  cpu ${s.cpu.toFixed(2)} s  rss ${s.rssMb.toFixed(0)} MB  exit ${s.code}\n`,
    );
  process.stdout.write(`ansible-playbook / quorum: ${(a.wall / q.wall).toFixed(1)}x (wall)\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
