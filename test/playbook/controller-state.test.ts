/**
 * Lookups that read the controller's state when they run: a file an earlier task makes is read
 * by a later one (quorum refused such a play before any host: it rendered the lookup when it
 * checked the playbook, before the file was there), and one still missing fails its task there,
 * as in Ansible, where ignore_errors and a rescue see it. Held to ansible-core 2.19 side by side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

/** What copy and template register about the file they wrote: quorum registers changed and failed only. */
const FILE_RESULT = [
  'checksum',
  'dest',
  'diff',
  'gid',
  'group',
  'md5sum',
  'mode',
  'owner',
  'size',
  'src',
  'state',
  'uid',
];

const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars: { made: ${d}/made.txt }
  tasks:
    - name: make
      copy: { dest: ${d}/made.txt, content: "made\\n" }
    - name: read it
      debug: { msg: "{{ lookup('file', '${d}/made.txt') }}" }
      register: r0
    - name: a loop over it
      debug: { msg: "{{ item }}" }
      with_file: ['${d}/made.txt']
      register: r1
    - name: a condition on it
      debug: { msg: yes }
      when: lookup('file', '${d}/made.txt') == 'made'
      register: r2
    - name: a template that reads it
      template: { src: reads.j2, dest: ${d}/out.txt }
      register: r3
    - name: first_found
      debug: { msg: "{{ lookup('first_found', ['${d}/none.txt', '${d}/made.txt']) | basename }}" }
      register: r4
    - name: pipe
      debug: { msg: "{{ lookup('pipe', 'cat ${d}/made.txt') }}" }
      register: r5
    - name: missing, ignored
      debug: { msg: "{{ lookup('file', '${d}/never.txt') }}" }
      ignore_errors: true
    - block:
        - name: missing, rescued
          debug: { msg: "{{ lookup('file', '${d}/never.txt') }}" }
      rescue:
        - name: rescue
          debug: { msg: rescued }
          register: r6
${resultsTask(`${d}/results.json`, 7, ['invocation', ...FILE_RESULT])}
`;

describe("lookups of the controller's state, read when their task runs", () => {
  it('reads a file an earlier task made; a missing one fails its task, ignored or rescued, as in 2.19', async () => {
    const sides = await sideBySide(play, { 'reads.j2': "got {{ lookup('file', made) }}\n" });
    expect(sameStatuses(sides)).toMatchObject({
      'read it': 'ok',
      'missing, ignored': 'failed',
      'missing, rescued': 'failed',
      rescue: 'ok',
    });
    const [read, loop, cond, template, found, piped, rescued] = sameResults(sides.out);
    expect([read.msg, (loop.results as { msg: string }[])[0].msg, cond.msg, found.msg, piped.msg]).toEqual([
      'made',
      'made',
      true,
      'made.txt',
      'made',
    ]);
    expect(template.changed).toBe(true);
    expect(readFileSync(join(sides.out.quorum, 'out.txt'), 'utf8')).toBe('got made\n');
    expect(rescued.msg).toBe('rescued');
  });
});

describe('validate', () => {
  it('warns of, and does not refuse, a lookup of a file an earlier task may make; a bad argument is still refused', () => {
    const ok = validateCli(
      `- hosts: all\n  tasks:\n    - debug: { msg: "{{ lookup('file', '/nonexistent/q') }}" }\n`,
      'h1 ansible_connection=local\n',
    );
    expect(ok.code, ok.stderr).toBe(0);
    // said before the run, where a typo in the name shows
    expect(ok.stderr).toMatch(
      /warning: .*play\.yml:3:\d+: lookup: could not find "\/nonexistent\/q".*the task fails when it runs/,
    );
    const bad = validateCli(
      `- hosts: all\n  tasks:\n    - debug: { msg: "{{ lookup('password', '/dev/null lenght=5') }}" }\n`,
      'h1 ansible_connection=local\n',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /play\.yml:3:\d+: .*Unrecognized parameter\(s\) given to password lookup: lenght/,
    );
  });
});
