/**
 * The recap counts task results as ansible-playbook 2.19's does, side by side: a loop is one
 * result (changed if an item changed, skipped only if every item was), an include is an ok of
 * its own (a looped one per item), a failure ignore_errors lets pass is ok and ignored, a rescued one
 * rescued; meta tasks and the tasks a failed host never ran count nowhere. quorum counted every
 * item, and the tasks after a failure as skipped.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = () => `- hosts: all
  gather_facts: false
  tasks:
    - name: ignored failure
      fail: { msg: no }
      ignore_errors: true
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
      ok: 10,
      changed: 1,
      failed: 1,
      skipped: 1,
      unreachable: 0,
      ignored: 1,
      rescued: 1,
    });
  });
});
