/**
 * Run by apt-deb.test.ts, after its own tests: both change this machine's dpkg, whose lock
 * allows one at a time, so they share one test file (vitest runs a file's tests in order).
 *
 * apt's `upgrade` and `clean` held to ansible-core 2.19's apt module on this machine's dpkg.
 * Each side has a package of its own installed at 1.0-1 and a repository of its own (file:,
 * trusted) holding 1.0-2, and the play's `environment` points apt at it alone (APT_CONFIG: its
 * own sources, lists and cache), so that nothing else on this machine has anything to upgrade.
 * Each task must change or stay ok as Ansible's does, the registered output must say the same,
 * and the same version must be left. `name: "*"` with `state: latest` is an upgrade, as apt.py
 * reads it (ansible-lockdown's CIS roles write it). The packages are purged after.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses } from '../helpers/side-by-side.ts';

const made: string[] = [];
/** dpkg's lock may be held by another apt on this machine: the install waits for it, bounded. */
const LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=120'];

function buildDeb(dir: string, name: string, version: string): string {
  const root = join(dir, `${name}_${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN/control'),
    `Package: ${name}\nVersion: ${version}\nArchitecture: all\nMaintainer: quorum <t@t>\nDescription: a package of quorum's tests\n`,
  );
  execFileSync('dpkg-deb', ['--root-owner-group', '-b', root, `${root}.deb`], { stdio: 'ignore' });
  return `${root}.deb`;
}

const installed = (name: string) =>
  execFileSync('dpkg-query', ['-W', '-f=${Version}', name], { encoding: 'utf8' });

/** The side's package at 1.0-1, its repository with 1.0-2 and an apt configuration reading only that. */
function side(dir: string, label: string) {
  const name = `quorum-upg-${createHash('sha1').update(`${dir}/${label}`).digest('hex').slice(0, 10)}`;
  const base = join(dir, label);
  const repo = join(base, 'repo');
  mkdirSync(repo, { recursive: true });
  const v1 = buildDeb(base, name, '1.0-1');
  buildDeb(repo, name, '1.0-2');
  execFileSync('sh', ['-c', 'dpkg-scanpackages . > Packages'], { cwd: repo, stdio: 'ignore' });
  for (const d of ['lists/partial', 'cache/archives/partial', 'parts'])
    mkdirSync(join(base, d), { recursive: true });
  writeFileSync(join(base, 'sources.list'), `deb [trusted=yes] file:${repo} ./\n`);
  const config = join(base, 'apt.conf');
  writeFileSync(
    config,
    [
      `Dir::Etc::SourceList "${base}/sources.list";`,
      `Dir::Etc::SourceParts "${base}/parts";`,
      `Dir::State::Lists "${base}/lists";`,
      `Dir::Cache "${base}/cache";`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, APT_CONFIG: config, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { env, stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-q', ...LOCK_WAIT, v1], { env, stdio: 'ignore' });
  made.push(name);
  return { name, config };
}

const TASKS = [
  'all, predicted',
  'predicted',
  'upgraded',
  'nothing left',
  'dist',
  'by its output',
  'all, nothing left',
  'all and one more',
  'clean',
];

const play = (config: string) => `
- hosts: all
  gather_facts: false
  environment: { APT_CONFIG: "${config}" }
  tasks:
    - { name: "${TASKS[0]}", package: { name: "*", state: latest }, check_mode: true, register: all }
    - { name: "${TASKS[1]}", apt: { upgrade: safe }, check_mode: true, register: predicted }
    - { name: "${TASKS[2]}", apt: { upgrade: safe }, register: upgraded }
    - { name: "${TASKS[3]}", apt: { upgrade: true }, register: again }
    - { name: "${TASKS[4]}", apt: { upgrade: dist, force_apt_get: true } }
    - name: "${TASKS[5]}"
      apt: { upgrade: yes }
      register: said
      changed_when: "'0 upgraded, 0 newly installed, 0 to remove' not in said.stdout"
    - { name: "${TASKS[6]}", apt: { name: "*", state: latest } }
    - { name: "${TASKS[7]}", apt: { name: ["*", curl], state: latest }, ignore_errors: true }
    - { name: "${TASKS[8]}", apt: { clean: true } }
    - name: what they said
      copy:
        dest: "{{ playbook_dir }}/said-{{ side }}.txt"
        content: "{{ ['1 upgraded' in all.stdout, '1 upgraded' in predicted.stdout, '1 upgraded' in upgraded.stdout, '0 upgraded' in again.msg] }}"
`;

export function aptUpgradeSuite() {
  describe('apt upgrade and clean, as ansible-core 2.19', () => {
    afterAll(() => {
      // dpkg itself, as apt-deb.test.ts purges (apt-get cannot locate a package of no list)
      for (const name of made) execFileSync('dpkg', ['--purge', name], { stdio: 'ignore' });
    });
    it('changes or stays ok as Ansible does, says so in its output, and leaves the same version', async () => {
      const dir = workspace();
      const [q, a] = [side(dir, 'q'), side(dir, 'a')];
      writeFiles(dir, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': play(q.config).replace('tasks:', 'vars: { side: q }\n  tasks:'),
        'ansible.yml': play(a.config).replace('tasks:', 'vars: { side: a }\n  tasks:'),
      });
      // one after the other: dpkg takes its lock without waiting
      const run = await runLocal(dir);
      const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml'], dir);
      expect(run.code).toBe(0);
      expect(oracle.code, oracle.stdout).toBe(0);
      const quorum = Object.fromEntries(
        steps(run)
          .slice(0, TASKS.length)
          .map((s, i) => [TASKS[i], s.status]),
      );
      const theirs = ansibleStatuses(oracle.stdout);
      // Ansible calls a change its check mode predicts `changed`
      const named = (t: string) => (quorum[t] === 'would_change' ? 'changed' : quorum[t]);
      expect(Object.fromEntries(TASKS.map((t) => [t, named(t)]))).toEqual(
        Object.fromEntries(TASKS.map((t) => [t, theirs[t]])),
      );
      expect(quorum).toEqual({
        'all, predicted': 'would_change',
        predicted: 'would_change',
        upgraded: 'changed',
        'nothing left': 'ok',
        dist: 'ok',
        'by its output': 'ok',
        'all, nothing left': 'ok',
        'all and one more': 'failed',
        clean: 'changed',
      });
      const said = (s: string) => execFileSync('cat', [join(dir, `said-${s}.txt`)], { encoding: 'utf8' });
      expect(said('q')).toBe(said('a'));
      expect(said('q')).toBe('[true, true, true, true]');
      expect([installed(q.name), installed(a.name)]).toEqual(['1.0-2', '1.0-2']);
    }, 300_000);
  });
}
