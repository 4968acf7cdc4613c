/**
 * lookup('first_found') as ansible-core 2.19 runs it, side by side on one role: a mapping of
 * `files` and `paths` (every path joined to every file; hifis.toolkit's unattended_upgrades
 * passes it as a variable), `paths=` beside plain terms, text split on , and ;, a list of terms,
 * `skip`; a bare name is looked for in the role's folder, not in its files/ (2.19 passes no
 * folder when called as lookup(); with_first_found is playbook/loops.ts).
 */
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const ROLE = {
  'roles/r1/tasks/main.yml': `
- name: vars from the first file found
  include_vars: "{{ lookup('ansible.builtin.first_found', params) }}"
  vars:
    params:
      files: [Debian-nope.yml, Debian.yml]
      paths: [vars]
- debug: { msg: "picked {{ picked }}" }
- debug: { msg: "{{ lookup('first_found', 'nope.txt;b.txt', paths=['files']) | basename }}" }
- debug: { msg: "{{ lookup('first_found', ['nope.txt', ['files/a.txt', 'b.txt']]) | basename }}" }
- debug: { msg: "[{{ lookup('first_found', ['nope1', 'nope2'], skip=True) }}]" }
- debug: { msg: "{{ lookup('first_found', {'files': ['x', 'b.txt'], 'paths': ['/nowhere', 'files']}) | basename }}" }
`,
  'roles/r1/vars/Debian.yml': 'picked: Debian.yml\n',
  'roles/r1/vars/main.yml': 'other: 1\n',
  'roles/r1/files/a.txt': 'a\n',
  'roles/r1/files/b.txt': 'b\n',
};

describe("lookup('first_found'), as ansible-core 2.19", () => {
  it('finds the same file for each form of its terms', async () => {
    const r = await sideBySide(() => '- hosts: all\n  gather_facts: false\n  roles: [r1]\n', ROLE);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    const ansible = [...r.oracle.stdout.matchAll(/"msg": "(.*)"/g)].map((m) => m[1]);
    const quorum = steps(r.run)
      .filter((s) => s.module === 'debug')
      .map((s) => s.message);
    expect(quorum).toEqual(ansible);
    expect(quorum).toEqual(['picked Debian.yml', 'b.txt', 'a.txt', '[[]]', 'b.txt']);
  });

  it("fails where 2.19 fails: a bare name that is only in the role's files/, when the task runs", async () => {
    const role = {
      ...ROLE,
      'roles/r1/tasks/main.yml': `- debug: { msg: "{{ lookup('first_found', ['b.txt']) }}" }\n`,
    };
    const play = '- hosts: all\n  gather_facts: false\n  roles: [r1]\n';
    // a file an earlier task may make: validate leaves it to the run
    expect(validateCli(play, undefined, role).code).toBe(0);
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play, ...role });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect(steps(r)[0]).toMatchObject({
      status: 'failed',
      error: { message: expect.stringMatching(/lookup\("first_found"\): none of b\.txt exists/) },
    });
    const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir);
    expect(oracle.stdout).toContain('No file was found when using first_found');
  });
});
