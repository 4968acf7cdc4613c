/**
 * The `timeout` keyword (each attempt of a task fails after N seconds), held to ansible-core 2.19
 * side by side: on a task, templated, per loop item, passed down from a block; what it registers;
 * a block's rescue sees it; the tasks after it run without waiting for the command left behind.
 * quorum refused it ("unknown key").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps, workspace } from '../helpers/run-local.ts';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';
import { bothOverSsh, loopbackHost } from '../helpers/ssh-side-by-side.ts';
import { canRunSshd } from '../helpers/sshd.ts';

describe('timeout, as ansible-core 2.19', () => {
  it('fails the attempt after N seconds, registers timedout, and the run goes on', async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars: { short: 1 }
  tasks:
    - name: too slow
      command: sleep 20
      timeout: "{{ short }}"
      register: r0
      ignore_errors: true
    - name: in time
      command: echo hi
      timeout: 5
      register: r1
    - name: each item
      command: sleep 20
      loop: [a, b]
      timeout: 1
      register: r2
      ignore_errors: true
    # the timeout on the inner block: a rescue under it would have 1 s too (slow under load)
    - block:
        - block:
            - name: slow in a block
              command: sleep 20
              register: r3
          timeout: 1
      rescue:
        - name: rescued
          copy: { dest: ${d}/rescued, content: "{{ ansible_failed_result.msg }}" }
    - name: no timeout
      command: echo after
      timeout: 0
      register: r4
    - name: retried
      command: sleep 20
      timeout: 1
      register: r5
      until: r5 is succeeded
      retries: 3
      delay: 0
      ignore_errors: true
${resultsTask(`${d}/results.json`, 6, ['exception', 'start', 'end', 'delta', 'cmd', 'invocation'])}
`;
    const started = Date.now();
    const sides = await sideBySide(play);
    expect(sameStatuses(sides)).toMatchObject({
      'too slow': 'failed',
      'in time': 'changed',
      'each item': 'failed',
      'slow in a block': 'failed',
      rescued: 'changed',
    });
    const [r0, r1, r2, r3, , r5] = sameResults(sides.out);
    // a timeout ends an until loop at its first attempt
    expect(r5).toEqual({
      changed: false,
      failed: true,
      msg: 'Task failed: Timed out after 1 second(s).',
      timedout: expect.anything(),
    });
    expect(r0).toMatchObject({
      failed: true,
      msg: 'Task failed: Timed out after 1 second(s).',
      timedout: { period: 1 },
    });
    expect(r1).toMatchObject({ rc: 0, stdout: 'hi' });
    expect((r2.results as unknown[]).length).toBe(2);
    expect(r3).toMatchObject({ failed: true, timedout: { period: 1 } });
    // five sleeps of 20 s cut at 1 s: neither side waited for one (100 s if it had)
    expect(Date.now() - started).toBeLessThan(40_000);
    const failed = steps(sides.run).filter((s) => s.status === 'failed');
    expect(failed.map((s) => [s.task, s.error?.message])).toEqual(
      ['too slow', 'each item', 'each item', 'slow in a block', 'retried'].map((t) => [
        t,
        'Task failed: Timed out after 1 second(s).',
      ]),
    );
  });
});

describe.skipIf(!canRunSshd)('timeout over SSH, as ansible-core 2.19', () => {
  const dir = workspace();
  const host = loopbackHost(dir, 'timeout');

  it('the task after a timed-out one runs at once, on a new session, not behind the command', async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: too slow
      shell: sleep 30; echo late > ${d}/late
      timeout: 1
      ignore_errors: true
    - name: next
      shell: "test -e ${d}/late && echo late || echo prompt"
      register: next
    - name: write
      copy: { dest: ${d}/next, content: "{{ next.stdout }}" }
`;
    const r = await bothOverSsh(dir, host.inventory(), play);
    const { q, a } = r;
    expect(r.statuses).toEqual(r.ansible);
    expect(r.statuses).toMatchObject({ 'too slow': 'failed', next: 'changed' });
    // the next task did not wait 30 s for the sleep that still held the host's shell
    for (const d of [q, a]) expect(readFileSync(join(d, 'next'), 'utf8')).toBe('prompt');
  }, 120_000);
});
