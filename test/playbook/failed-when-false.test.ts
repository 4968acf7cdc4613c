/**
 * failed_when decides over every failure of the module, as ansible-core 2.19's TaskExecutor
 * does: `failed_when: false` once counted as no failed_when at all (a falsy value), so
 * linux-system-roles' `command: systemctl is-system-running` with `failed_when: false` failed
 * the host. A module that fails while planning (fail, service of no such unit) is held to the
 * condition too, seeing the failed result.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sameStatuses, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: a failing command
      command: ls /nonexistent-path
      register: a
      failed_when: false
    - name: fail
      fail: { msg: boom }
      register: b
      failed_when: false
    - name: no such service
      service: { name: quorum-no-such-unit, state: started }
      register: d
      failed_when: false
    - name: a condition that holds
      command: ls /nonexistent-path
      register: e
      failed_when: e.rc == 2
      ignore_errors: true
    - name: a failure read by the condition
      fail: { msg: boom }
      register: f
      failed_when: f.msg != 'boom'${seenTask(
        out,
        'registered',
        '[a.failed, a.rc, b.failed, b.msg, b.failed_when_result, d.failed, d.failed_when_result, e.failed, e.rc, e.failed_when_result, f.failed]',
      )}
`;

it('failed_when: false makes a failing command, fail and a missing service ok; a true one fails', async () => {
  const { out, run, oracle } = await sideBySide(play);
  expect(sameStatuses({ run, oracle })).toMatchObject({
    'a failing command': 'changed',
    fail: 'ok',
    'no such service': 'ok',
    'a condition that holds': 'failed',
  });
  const read = (d: string) => readFileSync(join(d, 'registered'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  expect(JSON.parse(read(out.quorum))).toEqual([
    false,
    2,
    false,
    'boom',
    false,
    false,
    false,
    true,
    2,
    true,
    false,
  ]);
}, 60_000);
