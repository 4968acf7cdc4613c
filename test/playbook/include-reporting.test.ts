/**
 * Which includes ansible-playbook 2.19 reports, side by side: every include it reaches
 * ("included: FILE", an ok), one under a block whose condition is false as one skip (its tasks
 * never included, so never reported), and nothing at all for an include inside an include that
 * did not happen. Statuses by task and the recap are compared.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = () => `- hosts: all
  gather_facts: false
  vars: { go: true, halt: false }
  tasks:
    - name: plain include
      include_tasks: a.yml
    - name: a block that does not run
      when: halt
      block:
        - name: include in the block
          include_tasks: a.yml
        - name: task in the block
          debug: { msg: block }
    - name: an include that does not happen
      include_tasks: outer.yml
      when: halt
    - name: an include that happens
      include_tasks: outer.yml
      when: go
`;

const files = {
  'a.yml': '- name: task of a\n  debug: { msg: a }\n',
  'outer.yml':
    '- name: nested include\n  include_tasks: a.yml\n- name: task of outer\n  debug: { msg: outer }\n',
};

describe('includes reported as ansible-playbook 2.19 reports them', () => {
  it('the same statuses by task and the same recap', async () => {
    const side = await sideBySide(play, files);
    const mine = sameStatuses(side);
    expect(mine).toMatchObject({
      'plain include': 'ok',
      'include in the block': 'skipped',
      'an include that does not happen': 'skipped',
      'nested include': 'ok',
    });
    const recap = side.run.events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
    const theirs = /^h1\s+:\s+ok=(\d+)\s+changed=\d+\s+unreachable=\d+\s+failed=\d+\s+skipped=(\d+)/m.exec(
      side.oracle.stdout,
    );
    expect([recap?.hosts.h1.ok, recap?.hosts.h1.skipped]).toEqual([Number(theirs?.[1]), Number(theirs?.[2])]);
  });
});
