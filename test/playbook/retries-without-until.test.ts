/**
 * `retries` without `until`, as ansible-core 2.19 runs it: the task is tried again while it
 * fails (2.14 ignored retries without until; quorum refused them). `delay` alone does nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: flaky
      shell: "echo x >> ${out}/count; [ $(wc -l < ${out}/count) -ge 3 ]"
      retries: 3
      delay: 0
      register: r0
    - name: always failing
      command: "false"
      retries: 2
      delay: 0
      register: r1
      ignore_errors: true
    - name: delay alone
      command: "true"
      delay: 1
      register: r2
    - name: results
      copy:
        dest: ${out}/results.json
        content: "{{ {'a0': r0.attempts, 'f0': r0.failed, 'a1': r1.attempts, 'f1': r1.failed, 'a2': r2.attempts | default('none')} | to_json }}"
`;

describe('retries without until, as ansible-core 2.19', () => {
  it('retries while the task fails, and registers its attempts', async () => {
    const side = await sideBySide(play);
    const statuses = sameStatuses(side);
    expect(statuses).toMatchObject({
      flaky: 'changed',
      'always failing': 'failed',
      'delay alone': 'changed',
    });
    const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results(side.out.quorum)).toEqual(results(side.out.ansible));
    // out of attempts, 2.19 registers the retries asked for (2), not the 3 attempts made
    expect(results(side.out.quorum)).toEqual({ a0: 3, f0: false, a1: 2, f1: true, a2: 'none' });
    expect(readFileSync(join(side.out.quorum, 'count'), 'utf8')).toBe('x\nx\nx\n');
  });
});
