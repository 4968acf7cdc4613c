/**
 * ansible.posix.selinux and seboolean held to the collection's modules (Debian 13's ansible
 * 12.0.0 under ansible-core 2.19, with Debian's python3-selinux and python3-semanage) on this
 * machine, whose kernel runs without SELinux: configuration files of the test's own (configfile),
 * the same statuses, registered results and files; a check run writes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide, tableTasks } from '../helpers/side-by-side.ts';

const CONFIG = '# SELinux config\nSELINUX=enforcing\n\n  # indented\nSELINUXTYPE=targeted\n';
const selinuxOff = !readFileSync('/proc/filesystems', 'utf8').includes('selinuxfs');

const TASKS: Array<[string, string, boolean?]> = [
  ['disable', 'state: disabled, configfile: OUT/config'],
  ['disable again', 'state: disabled, conf: OUT/config'],
  ['permissive, targeted', 'state: permissive, policy: targeted, file: OUT/config'],
  ['permissive without a policy', 'state: permissive, configfile: OUT/config', true],
  ['a policy that is not installed', 'state: permissive, policy: mls, configfile: OUT/config', true],
  ['no state line yet', 'state: disabled, configfile: OUT/bare'],
  ['no such file', 'state: disabled, configfile: OUT/none', true],
  ['the kernel parameter', 'state: disabled, configfile: OUT/config, update_kernel_param: true', true],
];

const play = (out: string, tasks = TASKS) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks(
  'ansible.posix.selinux',
  tasks.map(([n, a, f]) => [n, a.replaceAll('OUT', out), f] as const),
)}
    - name: a boolean
      ansible.posix.seboolean: { name: httpd_can_network_connect, state: true, persistent: true }
      register: b
      ignore_errors: true
    - name: the results
      copy:
        dest: ${out}/results
        content: |
${TASKS.map((_, i) => `          {{ [r${i}.changed, r${i}.msg, r${i}.policy | default('-'), r${i}.state | default('-'), r${i}.reboot_required | default('-')] | to_json }}`).join('\n')}
          {{ b.msg }}
`;

describe.skipIf(!selinuxOff)(
  'selinux and seboolean, as ansible.posix (ansible-core 2.19), SELinux off',
  () => {
    it('edits the configuration and reports as the modules do', async () => {
      const files = (out: string) => ({ [`${out}/config`]: CONFIG, [`${out}/bare`]: '# nothing here\n' });
      const { out, run, oracle } = await sideBySide((o) => {
        writeFiles('/', files(o));
        return play(o);
      });
      expect(oracle.code, oracle.stdout).toBe(0);
      expect(
        run.code,
        JSON.stringify(run.events.filter((e) => e.type !== 'step' || e.status === 'failed')),
      ).toBe(0);
      const statuses = Object.fromEntries(steps(run).map((s) => [s.task, s.status]));
      expect(statuses).toEqual(ansibleStatuses(oracle.stdout));
      expect(statuses).toMatchObject({ disable: 'changed', 'disable again': 'ok', 'no such file': 'failed' });
      const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8').replaceAll(d, 'OUT');
      for (const f of ['config', 'bare', 'results'])
        expect(read(out.quorum, f), f).toBe(read(out.ansible, f));
      expect(read(out.quorum, 'config')).toBe(
        '# SELinux config\nSELINUX=permissive\n\n  # indented\nSELINUXTYPE=targeted\n',
      );
      expect(read(out.quorum, 'results')).toContain('SELinux is disabled on this host.');
    }, 120_000);

    it('a check run writes nothing', async () => {
      const dir = workspace();
      const sides = { q: join(dir, 'q'), a: join(dir, 'a') };
      const one = (o: string) =>
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: disable\n      ansible.posix.selinux: { state: disabled, configfile: ${o}/config }\n`;
      writeFiles(dir, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': one(sides.q),
        'ansible.yml': one(sides.a),
        'q/config': CONFIG,
        'a/config': CONFIG,
      });
      const run = await runLocal(dir, { check: true });
      const oracle = await ansibleCurrent(
        'ansible-playbook',
        ['-i', 'hosts.ini', 'ansible.yml', '--check'],
        dir,
      );
      expect(ansibleStatuses(oracle.stdout)).toEqual({ disable: 'changed' });
      expect(steps(run).map((s) => s.status)).toEqual(['would_change']);
      for (const d of Object.values(sides)) expect(readFileSync(join(d, 'config'), 'utf8')).toBe(CONFIG);
    }, 120_000);
  },
);
