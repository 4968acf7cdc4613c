/**
 * lookup('pipe'): a command through /bin/sh on the controller, in the playbook's folder, its
 * output without trailing whitespace (ansible-core's pipe.py). Held to ansible-playbook 2.19 on
 * the same play. A command that fails: Ansible fails the task; quorum renders templates before
 * the run, so it is the play's error, with its place, before any host is touched (as a missing
 * lookup('file') is).
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const HOSTS = 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

it("gives what Ansible's pipe lookup gives", async () => {
  const r = await sideBySide(
    () => `
- hosts: all
  gather_facts: false
  tasks:
    - debug: { msg: "{{ lookup('pipe', 'printf \\"a  b\\\\n\\\\n\\"; ls marker.txt; echo  tail  ') }}" }
    - debug: { msg: "{{ lookup('pipe', 'echo one', 'echo two') }}" }
`,
    { 'hosts.ini': HOSTS, 'marker.txt': 'x\n' },
  );
  const ansible = [...r.oracle.stdout.matchAll(/ok: \[h1\] => \{\s*"msg": "((?:[^"\\]|\\.)*)"/g)].map((m) =>
    JSON.parse(`"${m[1]}"`),
  );
  expect(ansible).toEqual(['a  b\n\nmarker.txt\ntail', 'one,two']);
  expect(steps(r.run).map((s) => s.message)).toEqual(ansible);
});

it('a command that fails: the words of Ansible, failing the task where it runs, as in Ansible', async () => {
  const dir = workspace();
  const play = `- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{ lookup('pipe', 'exit 3') }}" }\n`;
  writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play });
  const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir);
  expect(oracle.stdout).toMatch(/lookup_plugin\.pipe\(exit 3\) returned 3/);
  const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--no-journal']);
  // the command may read what an earlier task makes: its failure is the task's, not bad input
  expect(r.code).toBe(2);
  expect(r.stdout).toMatch(/FAILED h1 debug[\s\S]*lookup_plugin\.pipe\(exit 3\) returned 3/);
});
