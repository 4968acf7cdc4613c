/**
 * A task in check mode registers `changed` as its changed_when judges the module's check result,
 * as 2.19's TaskExecutor does (quorum registered the module's own prediction, before
 * changed_when), and a changed_when answering true makes the task changed there too.
 */
import { describe, expect, it } from 'vitest';
import {
  bothSucceeded,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
} from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: made
      file: { path: "${out}/t", state: touch }
    - name: touched again, judged by its state
      file: { path: "${out}/t", state: touch, mode: "0600" }
      check_mode: true
      register: r0
      changed_when: r0.state != 'file'
    - name: a read said changed
      stat: { path: "${out}/t" }
      check_mode: true
      register: r1
      changed_when: true
    - name: a folder declared unchanged
      file: { path: "${out}/d", state: directory }
      check_mode: true
      register: r2
      changed_when: false
    - name: a line judged by another variable
      lineinfile: { path: "${out}/t", line: "x" }
      check_mode: true
      register: r3
      changed_when: "'x' == 'y'"
    - name: a missing file touched
      file: { path: "${out}/missing", state: touch }
      check_mode: true
      register: r4
${resultsTask(`${out}/results.json`, 5, ['diff', 'stat', 'backup', 'msg'])}
`;

describe('changed_when in a check run', () => {
  it('registers and reports what changed_when judges, as 2.19', async () => {
    const side = await sideBySide(play);
    bothSucceeded(side);
    const statuses = sameStatuses(side);
    expect(statuses['a read said changed']).toBe('changed');
    expect(statuses['a missing file touched']).toBe('changed');
    const mine = sameResults(side.out);
    expect(mine.map((r) => r.changed)).toEqual([false, true, false, false, true]);
  }, 60_000);
});
