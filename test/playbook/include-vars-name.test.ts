/**
 * include_vars with `name:` defines that one variable (the file's keys under it), which validate
 * must know of: a later task naming it is not an undefined variable. Held to ansible-playbook 2.19.
 */
import { expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

it('include_vars name: the file under one variable, known to validate and to the run', async () => {
  const r = await sideBySide(
    () => `
- hosts: all
  gather_facts: false
  tasks:
    - include_vars: { file: os.yml, name: os_vars }
    - debug: { msg: "{{ os_vars.packages | join(',') }} {{ os_vars | length }}" }
`,
    {
      'hosts.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
      'vars/os.yml': 'packages: [a, b]\nservice: sshd\n',
    },
  );
  expect(r.oracle.code, r.oracle.stdout).toBe(0);
  expect(r.run.code).toBe(0);
  const ansible = /"msg": "([^"]*)"/.exec(r.oracle.stdout)?.[1];
  expect(steps(r.run).at(-1)?.message).toBe(ansible);
  expect(ansible).toBe('a,b 2');
});
