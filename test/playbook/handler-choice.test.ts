/**
 * Several handlers of one name (two roles with a "restart", a role used twice, the play's own):
 * a notification by that name runs one of them, as ansible-core 2.19 does (the play's own before
 * any role's, else the role used last); a `listen` topic still reaches every listener. Held to
 * ansible-playbook on the same plays: which handler messages were printed.
 */
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const role = (r: string) => ({
  [`roles/${r}/tasks/main.yml`]: '- command: "true"\n  notify: restart\n',
  [`roles/${r}/handlers/main.yml`]: `- name: restart\n  debug: { msg: "restart from ${r}" }\n`,
});
const FILES = {
  'hosts.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
  ...role('a'),
  ...role('b'),
};
const PLAYS: Record<string, string> = {
  'two roles': 'roles: [a, b]',
  'a role and an include_role': 'roles: [a]\n  tasks:\n    - include_role: { name: b }',
  'one role used twice': 'roles:\n    - { role: a, x: 1 }\n    - { role: a, x: 2 }',
  "the play's own and a listener":
    'roles: [a]\n  handlers:\n    - name: restart\n      debug: { msg: "restart from play" }\n    - name: other\n      listen: restart\n      debug: { msg: "listener" }',
};

describe('handlers of one name, as ansible-playbook 2.19', () => {
  it.each(Object.entries(PLAYS))('%s', async (_, body) => {
    const r = await sideBySide(() => `- hosts: all\n  gather_facts: false\n  ${body}\n`, FILES);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    const ansible = [...r.oracle.stdout.matchAll(/"msg": "([^"]*)"/g)].map((m) => m[1]);
    const quorum = steps(r.run)
      .filter((s) => s.module === 'debug')
      .map((s) => String(s.message));
    expect(quorum.sort()).toEqual(ansible.sort());
    expect(quorum.length).toBe(body.includes('listen') ? 2 : 1);
  });
});
