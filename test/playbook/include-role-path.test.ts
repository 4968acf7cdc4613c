/**
 * An include under `{{ role_path }}` (`include_tasks: "{{ role_path }}/tasks/setup-{{ x }}.yml"`,
 * as roles write it to reach their own files from anywhere), held to ansible-playbook 2.19: the
 * same messages from the same files. A folder made of any other variable stays refused.
 */
import { expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const ROLE = {
  'hosts.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
  'play.yml': `
- hosts: all
  gather_facts: false
  vars: { flavor: debian }
  roles: [app]
`,
  'roles/app/tasks/main.yml': `
- import_tasks: "{{ role_path }}/tasks/common.yml"
- include_tasks: "{{ role_path }}/tasks/setup-{{ flavor }}.yml"
- include_tasks: "{{role_path}}/tasks/common.yml"
- include_tasks:
    file: "tasks/setup-{{ flavor }}.yml"
`,
  'roles/app/tasks/common.yml': '- debug: { msg: "common from {{ role_name }}" }\n',
  'roles/app/tasks/setup-debian.yml': '- debug: { msg: "setup for debian" }\n',
  'roles/app/tasks/setup-redhat.yml': '- debug: { msg: "setup for redhat" }\n',
};

it('an include under {{ role_path }} reads the role’s own file, as 2.19 does', async () => {
  const dir = workspace();
  writeFiles(dir, ROLE);
  const [run, oracle] = await Promise.all([
    runLocal(dir),
    ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir),
  ]);
  expect(oracle.code, oracle.stdout).toBe(0);
  expect(run.code).toBe(0);
  const ansible = [...oracle.stdout.matchAll(/"msg": "([^"]*)"/g)].map((m) => m[1]);
  // `tasks/setup-{{ flavor }}.yml` from tasks/main.yml: found in the role's folder, as a plain name is (githubixx's cilium)
  expect(ansible).toEqual(['common from app', 'setup for debian', 'common from app', 'setup for debian']);
  const said = (module: string) =>
    steps(run).flatMap((s) => (s.module === module && s.message !== undefined ? [String(s.message)] : []));
  expect(said('debug')).toEqual(ansible);
  // each include reported as ansible-playbook reports it, its file rendered
  const included = [...oracle.stdout.matchAll(/^(included: .*) for h1$/gm)].map((m) => m[1]);
  expect(included).toHaveLength(3);
  expect(said('include_tasks')).toEqual(included);
});

it('a folder made of another variable is refused before any host, with its place', () => {
  const { 'play.yml': play, 'hosts.ini': hosts, ...files } = ROLE;
  const r = validateCli(play, hosts, {
    ...files,
    'roles/app/tasks/main.yml': '- include_tasks: "{{ flavor }}/main.yml"\n',
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/roles\/app\/tasks\/main\.yml:1:\d+: an include's folder cannot be a template/);
});
