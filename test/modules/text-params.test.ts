/**
 * A value that is not text where a module takes text, as ansible-core 2.19's modules take it:
 * Python's str() of it (a loop item that is a list, in user's `name`; a boolean in lineinfile's
 * `line`). Side by side with 2.19 on this machine; the users named do not exist, so removing
 * them changes nothing on either side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const TASKS = [
  'a list as a user to remove',
  'a list as a group to remove',
  'a boolean as a line',
  'a list as a line',
];

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: ${TASKS[0]}
      user: { name: "{{ item }}", state: absent, remove: true }
      loop: [[quorum-no-user-1, quorum-no-user-2]]
    - name: ${TASKS[1]}
      group: { name: "{{ ['quorum-no-group'] }}", state: absent }
    - name: ${TASKS[2]}
      lineinfile: { path: "${out}/lines", line: true, create: true }
    - name: ${TASKS[3]}
      lineinfile: { path: "${out}/lines", line: "{{ ['a', 1] }}" }
`;

describe('text parameters given other values, as 2.19 takes them', () => {
  it("takes Python's str() of the value, task by task as Ansible", async () => {
    const r = await sideBySide(play);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    const quorum = Object.fromEntries(steps(r.run).map((s, i) => [TASKS[i], s.status]));
    expect(quorum).toEqual(ansibleStatuses(r.oracle.stdout));
    expect(quorum).toMatchObject({ [TASKS[0]]: 'ok', [TASKS[2]]: 'changed' });
    const lines = (d: string) => readFileSync(join(d, 'lines'), 'utf8');
    expect(lines(r.out.quorum)).toBe(lines(r.out.ansible));
    expect(lines(r.out.quorum)).toBe("True\n['a', 1]\n");
  });
});

describe('list parameters given text or a number, as 2.19 takes them', () => {
  it('splits text at commas (check_type_list), a number is a list of its text', async () => {
    const pam = 'session    required     pam_env.so readenv=1\n';
    const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: comma text
      community.general.pamd: { name: svc, path: "${out}", type: session, control: required, module_path: pam_env.so, state: args_present, module_arguments: "debug,user_readenv=0" }
    - name: a number
      community.general.pamd: { name: svc, path: "${out}", type: session, control: required, module_path: pam_env.so, state: args_present, module_arguments: 7 }
`;
    const r = await sideBySide(play, { 'q/svc': pam, 'a/svc': pam });
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    expect(Object.fromEntries(steps(r.run).map((s) => [s.task, s.status]))).toEqual(
      ansibleStatuses(r.oracle.stdout),
    );
    const rule = (d: string) => readFileSync(join(d, 'svc'), 'utf8').split('\n').at(-2);
    expect(rule(r.out.quorum)).toBe(rule(r.out.ansible));
    expect(rule(r.out.quorum)).toBe('session    required pam_env.so readenv=1 debug user_readenv=0 7');
  });
});

describe("package's use", () => {
  it('names the manager module to run, as 2.19 takes it; one quorum does not run fails', async () => {
    const play = () => `
- hosts: all
  gather_facts: false
  tasks:
    - name: use apt
      package: { name: bash, state: present, use: apt }
    - name: use auto
      package: { name: [bash, coreutils], use: auto }
    - name: use omitted
      package: { name: bash, use: "{{ omit }}" }
    - name: use another
      package: { name: bash, use: community.general.apk }
      ignore_errors: true
`;
    const r = await sideBySide(play);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    const statuses = Object.fromEntries(steps(r.run).map((s) => [s.task, s.status]));
    expect(statuses).toEqual(ansibleStatuses(r.oracle.stdout));
    expect(statuses).toMatchObject({ 'use apt': 'ok', 'use another': 'failed' });
  }, 60_000);
});
