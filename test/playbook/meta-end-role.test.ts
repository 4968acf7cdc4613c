/**
 * meta: end_role as ansible-core 2.19 runs it: the rest of that use of the role is skipped for
 * the host whose condition holds (another use of the role, and the play's later tasks, run);
 * the handlers it notified still run. Held to ansible-playbook on the same play: which debug
 * message each host printed. Outside a role it is refused before any host (Ansible: at run time).
 */
import { describe, expect, it } from 'vitest';
import { steps, validateCli } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const HOSTS = ['h1', 'h2']
  .map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`)
  .join('');

const FILES = {
  'hosts.ini': HOSTS,
  'roles/r1/tasks/main.yml': `
- command: "true"
  notify: h
- debug: { msg: "before {{ inventory_hostname }} {{ tag }}" }
- meta: end_role
  when: inventory_hostname == 'h1'
- debug: { msg: "after {{ inventory_hostname }} {{ tag }}" }
`,
  'roles/r1/handlers/main.yml': '- name: h\n  debug: { msg: "handler {{ inventory_hostname }}" }\n',
};

const play = () => `
- hosts: all
  gather_facts: false
  roles:
    - { role: r1, tag: one }
  tasks:
    - include_role: { name: r1 }
      vars: { tag: two }
    - debug: { msg: "end {{ inventory_hostname }}" }
`;

describe('meta: end_role, as ansible-playbook 2.19', () => {
  it("ends that use of the role for the host; the other use, the play's tasks and the handlers run", async () => {
    const r = await sideBySide(play, FILES);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    const ansible = [...r.oracle.stdout.matchAll(/ok: \[h\d\] => \{\s*"msg": "([^"]*)"/g)].map((m) => m[1]);
    const quorum = steps(r.run)
      .filter((s) => s.module === 'debug' && s.status === 'ok')
      .map((s) => String(s.message));
    expect(quorum.sort()).toEqual(ansible.sort());
    expect(quorum).not.toContain('after h1 one');
    expect(quorum).toContain('after h2 two');
    expect(quorum).toContain('handler h1');
  });

  it('ignores delegate_to and run_once on it, as 2.19 (artis3n.tailscale ends its role so)', async () => {
    const r = await sideBySide(() => '- hosts: all\n  gather_facts: false\n  roles: [r2]\n', {
      'hosts.ini': HOSTS,
      'roles/r2/tasks/main.yml': `
- meta: end_role
  delegate_to: localhost
  run_once: true
  when: inventory_hostname == 'h1'
- debug: { msg: "after {{ inventory_hostname }}" }
`,
    });
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    const ansible = [...r.oracle.stdout.matchAll(/ok: \[h\d\] => \{\s*"msg": "([^"]*)"/g)].map((m) => m[1]);
    const quorum = steps(r.run)
      .filter((s) => s.module === 'debug' && s.status === 'ok')
      .map((s) => String(s.message));
    expect(quorum).toEqual(ansible);
    expect(quorum).toEqual(['after h2']);
  });

  it('is refused outside a role, at its place', () => {
    const r = validateCli('- hosts: all\n  tasks:\n    - meta: end_role\n', HOSTS);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:7: meta: end_role is for the tasks of a role/);
  });
});
