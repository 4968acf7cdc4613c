/**
 * lookup('varnames') held to ansible-core 2.19: the names of the variables a Python regex finds,
 * as the hardening roles use it (`when: not lookup('varnames', '^' + name + '$')`, to set only
 * what the user did not).
 */
import { expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = () => `
- hosts: all
  gather_facts: false
  vars: { app_port: 80, app_host: web, other: 1 }
  tasks:
    - debug: { msg: "{{ lookup('varnames', '^app_') .split(',') | sort }}" }
    - debug: { msg: "{{ query('varnames', '^other$', '^nothing_like_it$') }}" }
    - debug: { msg: "{{ 'set' if lookup('varnames', '^app_port$') else 'unset' }}" }
    - debug: { msg: "{{ 'set' if lookup('varnames', '^app_user$') else 'unset' }}" }
`;

it("lookup('varnames') gives the names Ansible gives", async () => {
  const r = await sideBySide(play, {
    'hosts.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
  });
  expect(r.oracle.code, r.oracle.stdout).toBe(0);
  const ansible = [...r.oracle.stdout.matchAll(/"msg": (\[[^\]]*\]|"[^"]*")/gs)].map((m) => JSON.parse(m[1]));
  const quorum = steps(r.run).map((s) => s.message);
  expect(
    quorum.map((m) => (typeof m === 'string' && m.startsWith('[') ? JSON.parse(m.replace(/'/g, '"')) : m)),
  ).toEqual(ansible);
  expect(ansible).toEqual([['app_host', 'app_port'], ['other'], 'set', 'unset']);
});
