/**
 * Variable precedence inside a role, held to ansible-playbook 2.19: role defaults < play vars <
 * role vars < task vars < set_fact < role params < -e. quorum had the role's vars above set_fact
 * and above -e (`-e x=...` did not reach a variable the role's vars/main.yml sets).
 */
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const FILES = {
  'hosts.ini': 'h1 ansible_connection=local\n',
  'roles/r/defaults/main.yml': NAMES.map((n) => `${n}: default`).join('\n'),
  'roles/r/vars/main.yml': ['c', 'd', 'e', 'f', 'g', 'h'].map((n) => `${n}: rolevar`).join('\n'),
  'roles/r/tasks/main.yml': `- debug: { msg: "${NAMES.map((n) => `${n}={{ ${n} }}`).join(' ')}" }
  vars: { d: taskvar, e: taskvar }
`,
  'play.yml': `- hosts: all
  gather_facts: false
  vars: { b: play, c: play, d: play, e: play, f: play, g: play, h: play }
  pre_tasks:
    - set_fact: { e: fact, f: fact, g: fact }
  roles:
    - { role: r, f: param, g: param, h: param }
`,
};

describe('variable precedence in a role, as ansible-playbook 2.19', () => {
  it('set_fact beats role and task vars, role params beat set_fact, -e beats everything', async () => {
    const dir = workspace();
    writeFiles(dir, FILES);
    const [run, oracle] = await Promise.all([
      runLocal(dir, { extraVars: { g: 'extra' } }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml', '-e', 'g=extra'], dir),
    ]);
    expect(oracle.code, oracle.stdout).toBe(0);
    const theirs = /"msg": "(a=.*)"/.exec(oracle.stdout)?.[1];
    const mine = steps(run).find((s) => s.module === 'debug')?.message;
    expect(mine).toBe(theirs);
    expect(mine).toBe('a=default b=play c=rolevar d=taskvar e=fact f=param g=extra h=param');
  });
});
