/**
 * The recap counts task results as ansible-playbook 2.19's does, side by side: a loop is one
 * result (changed if an item changed, skipped only if every item was), an include is an ok of
 * its own (a looped one per item), a failure ignore_errors lets pass is ok and ignored (changed too
 * when its result says so, changed_when deciding over a failed result as well), a rescued one
 * rescued; meta tasks and the tasks a failed host never ran count nowhere. quorum counted every
 * item, and the tasks after a failure as skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: ignored failure
      fail: { msg: no }
      ignore_errors: true
    - name: an ignored failed command, changed as its result says
      command: "false"
      ignore_errors: true
      register: failed_command
    - name: the same, changed_when deciding over the failed result
      shell: exit 3
      ignore_errors: true
      changed_when: false
      register: judged_command
    - name: what each registered
      copy:
        dest: ${out}/changed
        content: "{{ [failed_command.changed, judged_command.changed] | to_json }}"
    - name: a loop
      debug: { msg: "{{ item }}" }
      loop: [1, 2, 3]
    - name: a loop changing one item
      command: "echo {{ item }}"
      loop: [1, 2]
      when: item == 2
    - name: a loop skipping every item
      debug: { msg: "{{ item }}" }
      loop: [1, 2]
      when: false
    - name: rescued
      block:
        - fail: { msg: no }
      rescue:
        - debug: { msg: rescued }
    - name: an include
      include_tasks: inner.yml
    - name: a looped include
      include_tasks: inner.yml
      loop: [a, b]
    - meta: noop
    - meta: end_host
      when: false
    - name: the failure
      fail: { msg: stop }
    - name: never run
      debug: { msg: after }
`;

/** ansible-playbook's PLAY RECAP numbers for h1, under quorum's names (failed=, not failures). */
function ansibleRecap(stdout: string): Record<string, number> {
  const line = /^h1\s+:\s+(.*)$/m.exec(stdout)?.[1] ?? '';
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

describe('the recap, as ansible-playbook 2.19 counts', () => {
  it('one result per task, includes counted, nothing for meta or what a failed host never ran', async () => {
    const side = await sideBySide(play, { 'inner.yml': '- name: inner\n  debug: { msg: inner }\n' });
    expect(side.oracle.code).toBe(2);
    expect(side.run.code).toBe(2);
    const recap = side.run.events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
    const { maybe: _, ...mine } = recap?.hosts.h1 ?? {};
    expect(mine).toEqual(ansibleRecap(side.oracle.stdout));
    expect(mine).toEqual({
      ok: 13,
      changed: 3,
      failed: 1,
      skipped: 1,
      unreachable: 0,
      ignored: 3,
      rescued: 1,
    });
    const changed = (dir: string) => readFileSync(join(dir, 'changed'), 'utf8');
    expect(changed(side.out.quorum)).toBe(changed(side.out.ansible));
    expect(changed(side.out.quorum)).toBe('[true, false]');
  });
});
