/**
 * What a failed task registers, held to ansible-core 2.19: `changed` is there (false for a
 * module's failure, true for a command that ran and failed), and a failed_when keeps the
 * module's whole result (a stat's fields, a command's output) with `failed_when_result`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: fail
      fail: { msg: boom }
      register: a
      ignore_errors: true
    - name: a command that fails
      command: sh -c "echo out; exit 3"
      register: b
      ignore_errors: true
    - name: failed_when on a stat
      stat: { path: /etc/hostname }
      register: c
      failed_when: c.stat.exists
      ignore_errors: true
    - name: failed_when on a command
      command: echo kept
      register: d
      failed_when: "'kept' in d.stdout"
      ignore_errors: true
    - name: results
      copy:
        dest: ${out}/results
        content: |
          {{ [a.changed, a.failed, a.msg] | to_json }}
          {{ [b.changed, b.failed, b.rc, b.stdout] | to_json }}
          {{ [c.changed, c.failed, c.stat.exists, c.failed_when_result] | to_json }}
          {{ [d.changed, d.failed, d.rc, d.stdout, d.failed_when_result] | to_json }}
`;

describe('what a failed task registers, as ansible-core 2.19', () => {
  it('registers changed and keeps the result under failed_when', async () => {
    const { out, run, oracle } = await sideBySide(play);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const statuses = Object.fromEntries(steps(run).map((s) => [s.task, s.status]));
    expect(statuses).toEqual(ansibleStatuses(oracle.stdout));
    const results = (d: string) => readFileSync(join(d, 'results'), 'utf8');
    expect(results(out.quorum)).toBe(results(out.ansible));
    expect(results(out.quorum)).toContain('[true, true, 3, "out"]');
  }, 60_000);
});
