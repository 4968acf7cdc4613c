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
