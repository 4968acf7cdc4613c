/**
 * file's access_time / modification_time held to ansible-core 2.19's file module side by side:
 * `state: touch` on a file that exists is a change every run unless both are `preserve` (the
 * idiom hardening roles use to create a file once), `now` on another state touches too, and a
 * given time is refused before any host.
 */
import { describe, expect, it } from 'vitest';
import { steps, validateCli } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const TASKS: Array<[string, string]> = [
  ['create', 'state: touch, modification_time: preserve, access_time: preserve'],
  ['touch again, preserving', 'state: touch, modification_time: preserve, access_time: preserve'],
  ['touch again', 'state: touch'],
  ['file with mtime now', 'state: file, modification_time: now'],
  ['file as it is', 'state: file'],
  ['access time now only', 'state: touch, modification_time: preserve'],
];

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
${TASKS.map(([name, args]) => `    - name: ${name}\n      file: { path: ${out}/f, ${args} }`).join('\n')}
`;

describe('file access_time / modification_time, as ansible-core 2.19', () => {
  it('changes what Ansible changes, task by task', async () => {
    const r = await sideBySide(play, {
      'hosts.ini': 'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
    });
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    const quorum = Object.fromEntries(steps(r.run).map((s) => [s.task, s.status]));
    expect(quorum).toEqual(ansibleStatuses(r.oracle.stdout));
    expect(quorum['touch again, preserving']).toBe('ok');
    expect(quorum['touch again']).toBe('changed');
  });

  it('refuses a given time before any host', () => {
    const r = validateCli(
      '- hosts: all\n  tasks:\n    - file: { path: /tmp/x, state: touch, modification_time: "202001011200.00" }\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('modification_time: "202001011200.00": quorum sets preserve or now');
  });
});
