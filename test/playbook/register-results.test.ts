/**
 * What `register` keeps where no module's result is the whole story, held to ansible-core 2.19
 * side by side: a task its `when` skipped (`is skipped` on it works), a loop's summary and its
 * items under the loop variable's name, an empty loop, a loop whose item fails (the others still
 * run; ignored, and rescued as the whole loop), and debug's own result (msg, var, an undefined
 * var shown in place, verbosity above the run's skipping the task).
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';
import { resultsTask, sameStatuses, sideBySide, writtenResults } from '../helpers/side-by-side.ts';

const BY_NATURE = ['invocation', 'start', 'end', 'delta'];
const strip = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(strip)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v).flatMap(([k, x]) => (BY_NATURE.includes(k) ? [] : [[k, strip(x)]])),
        )
      : v;

const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars: { x: 1, d: { a: 1 } }
  tasks:
    - name: skipped
      command: echo hi
      when: [x == 1, x == 2]
      register: r0
    - name: on the skipped
      debug: { msg: was skipped }
      when: r0 is skipped
      register: r1
    - name: a loop
      debug: { msg: "{{ n }}" }
      loop: [1, 2, 3]
      loop_control: { loop_var: n, index_var: i }
      when: n != 2
      register: r2
    - name: every item skipped
      debug: { msg: x }
      loop: [1]
      when: false
      register: r3
    - name: no items
      debug: { msg: x }
      loop: []
      register: r4
    - name: one item fails
      command: "{{ item }}"
      loop: ["true", "false", "true"]
      register: r5
      ignore_errors: true
    - block:
        - name: fails in a block
          command: "{{ item }}"
          loop: ["false", "true"]
          register: r6
      rescue:
        - name: rescued
          debug: { msg: "{{ ansible_failed_result.msg }}, {{ ansible_failed_result.results | length }} ran" }
          register: r7
    - name: var
      debug: { var: d.a }
      register: r8
    - name: var undefined
      debug: { var: d.nope }
      register: r9
    - name: above the verbosity
      debug: { msg: quiet, verbosity: 2 }
      register: r10
${resultsTask(`${d}/results.json`, 11, [])}
`;

describe('registered results of skips, loops and debug, as ansible-core 2.19', () => {
  it('registers what 2.19 registers, with the same statuses', async () => {
    const sides = await sideBySide(play);
    expect(sameStatuses(sides)).toMatchObject({
      skipped: 'skipped',
      'on the skipped': 'ok',
      'one item fails': 'failed',
      'fails in a block': 'failed',
      rescued: 'ok',
      'above the verbosity': 'skipped',
    });
    // what differs by nature (the clock) or is Ansible's alone (invocation), at any depth
    const read = (dir: string) => strip(writtenResults(join(dir, 'results.json'), dir));
    const r = read(sides.out.quorum) as Record<string, unknown>[];
    expect(r).toEqual(read(sides.out.ansible));
    // not an agreement on nothing: the values a role reads from them
    expect(r[0]).toMatchObject({ skipped: true, false_condition: 'x == 2' });
    expect(r[2]).toMatchObject({ msg: 'All items completed', skipped: false });
    expect((r[2].results as Record<string, unknown>[]).map((i) => [i.n, i.i, i.ansible_loop_var])).toEqual([
      [1, 0, 'n'],
      [2, 1, 'n'],
      [3, 2, 'n'],
    ]);
    expect([r[3].msg, r[4].skipped_reason, r[5].msg]).toEqual([
      'All items skipped',
      'No items in the list',
      'One or more items failed',
    ]);
    expect((r[5].results as unknown[]).length).toBe(3);
    expect(r[7].msg).toBe('One or more items failed, 2 ran');
    expect(r[9]['d.nope']).toBe("<< error 1 - object of type 'dict' has no attribute 'nope' >>");
    expect(r[10]).toMatchObject({ skipped: true, skipped_reason: 'Verbosity threshold not met.' });
  });
});

describe("debug's warnings", () => {
  it('come once, for the value that is undefined when the step runs, as 2.19 warns', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      // stat's result is registered before the debug reads it; the look-ahead that reads the
      // debug's params before that must not warn
      'play.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - stat: { path: / }',
        '      register: r',
        '    - debug: { var: r.stat.isdir }',
        '    - debug: { var: nothere }',
        '',
      ].join('\n'),
    });
    const [run, oracle] = await Promise.all([
      runLocal(dir),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir),
    ]);
    expect(oracle.code, oracle.stdout).toBe(0);
    const theirs =
      `${oracle.stdout}${oracle.stderr}`.match(/\[WARNING\]: Encountered 1 template error/g) ?? [];
    const mine = run.events
      .filter((e) => e.type === 'warning')
      .map((e) => (e as { message: string }).message);
    expect(mine).toEqual(["Encountered 1 template error.\nerror 1 - 'nothere' is undefined"]);
    expect(mine.length).toBe(theirs.length);
  }, 60_000);
});
