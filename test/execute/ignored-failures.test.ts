/**
 * Failures that happen outside the module (issue 25, item 4): a template that fails at run time,
 * a failed_when that raises, an until that runs out of retries. Ansible treats each as the
 * step's failure, so ignore_errors ignores it and a block's rescue rescues it; they used to
 * fail the host whatever the task said.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - command: echo hi
      register: rr
    - debug: msg="{{ rr.nonexistent_key }}"
      ignore_errors: true
    - debug: msg="{{ rr.stdout | from_json }}"
      ignore_errors: true
    - command: echo x
      failed_when: (rr.stdout | from_json).x
      ignore_errors: true
    - command: "false"
      register: u
      until: u.rc == 0
      retries: 1
      delay: 0
      ignore_errors: true
    - debug: msg="rc {{ u.rc }} {{ u is failed }}"
    - block:
        - debug: msg="{{ rr.nonexistent_key }}"
      rescue:
        - debug: msg=rescued
    - debug: msg=end
`;

describe('failures ignore_errors and rescue see', () => {
  it('run-time template errors, raising conditions and exhausted retries are ignored or rescued, as in Ansible', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { ansible_connection: local }\n');
    writeFileSync(join(dir, 'play.yml'), PLAY);
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    const recap = events.find((e) => e.type === 'recap').hosts.h1;
    expect(recap).toMatchObject({ failed: 0, ignored: 4, rescued: 1 });
    const messages = events.filter((e) => e.type === 'step' && e.module === 'debug').map((e) => e.message);
    // the failed command registered its rc, as Ansible registers it
    expect(messages).toEqual(expect.arrayContaining(['rc 1 True', 'rescued', 'end']));
  });

  it('a no_log task whose template or condition fails says that it failed, never the secret it read', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { ansible_connection: local }\n');
    const secretRead = '    - command: echo not-json-Hunter2Reg\n      register: r\n      no_log: true\n';
    for (const task of [
      '    - debug: msg="{{ r.stdout | from_json }}"\n      no_log: true\n',
      '    - command: echo x\n      failed_when: (r.stdout | from_json).x\n      no_log: true\n',
    ]) {
      writeFileSync(
        join(dir, 'play.yml'),
        `- hosts: all\n  gather_facts: false\n  tasks:\n${secretRead}${task}`,
      );
      for (const args of [['--json'], []]) {
        const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), ...args]);
        expect(r.code).toBe(2);
        expect(`${r.stdout}${r.stderr}`).not.toContain('Hunter2');
        expect(`${r.stdout}${r.stderr}`).toContain('details hidden: no_log');
      }
    }
  });
});
