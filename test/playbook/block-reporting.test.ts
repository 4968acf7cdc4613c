/**
 * What a block with rescue or always reports, side by side with ansible-playbook 2.19: a rescue
 * that nothing called for, and the block's tasks after its failure, are neither run nor reported
 * (quorum reported them skipped, and an "ok" for its own re-raise check of a block without
 * rescue); statuses by task and the recap are the same.
 */
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = () => `- hosts: all
  gather_facts: false
  tasks:
    - name: a block that goes through
      block:
        - name: b1
          debug: { msg: b1 }
      rescue:
        - name: r1
          debug: { msg: r1 }
      always:
        - name: a1
          debug: { msg: a1 }
    - name: a block that fails
      block:
        - name: b2
          fail: { msg: x }
        - name: b3
          debug: { msg: b3 }
      rescue:
        - name: r2
          debug: { msg: r2 }
    - name: always without rescue
      block:
        - name: b4
          debug: { msg: b4 }
      always:
        - name: a4
          debug: { msg: a4 }
`;

describe('blocks reported as ansible-playbook 2.19 reports them', () => {
  it('only what ran: the same statuses by task and the same recap', async () => {
    const side = await sideBySide(play);
    expect(sameStatuses(side)).toEqual({ b1: 'ok', a1: 'ok', b2: 'failed', r2: 'ok', b4: 'ok', a4: 'ok' });
    const recap = side.run.events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
    expect(recap?.hosts.h1).toMatchObject({ ok: 5, failed: 0, skipped: 0, rescued: 1 });
    expect(side.oracle.stdout).toMatch(
      /h1\s+: ok=5\s+changed=0\s+unreachable=0\s+failed=0\s+skipped=0\s+rescued=1/,
    );
  });
});
