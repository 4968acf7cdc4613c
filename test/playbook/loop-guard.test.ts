/**
 * A loop over a variable that is not defined, under a condition that says so: ansible-core's
 * TaskExecutor keeps the loop's error and raises it only if the condition (taken without an
 * item) holds; so the task is skipped, and registers Ansible's skip. Unguarded, it is refused
 * by validate with its place. (ansible-core 2.14 and 2.19 print the same for these playbooks.)
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const guarded = [
  '- hosts: all',
  '  tasks:',
  '    - debug: { msg: "{{ item }}" }',
  '      loop: "{{ extra_users }}"',
  '      when: extra_users is defined',
  '      register: r',
  '    - copy: { dest: "{{ out }}", content: "{{ r.skipped }} {{ r.skip_reason }}" }',
  '',
].join('\n');

describe('a loop over an undefined variable', () => {
  it('is skipped when its condition is false, and registers the skip', async () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': `h1 ansible_connection=local out=${dir}/out\n`, 'play.yml': guarded });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    const first = run.events.find((e) => e.type === 'step' && e.module === 'debug');
    expect(first).toMatchObject({ status: 'skipped', message: 'condition is false' });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('True Conditional result was False');
    // defined, the loop runs
    const again = await runLocal(dir, { extraVars: { extra_users: ['ann'] } });
    expect(
      again.events.filter((e) => e.type === 'step' && e.module === 'debug' && e.status === 'ok'),
    ).toHaveLength(1);
  });

  it('is refused by validate with its place when nothing guards it', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  tasks:\n    - debug: { msg: "{{ item }}" }\n      loop: "{{ extra_users }}"\n',
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:3:7: undefined variable "extra_users" for host h1 in the loop of "debug"/,
    );
  });

  it("a condition on the item (robertdebock.logrotate's asserts) is asked without one: validate passes, the run skips", async () => {
    const dir = workspace();
    const play =
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - assert: { that: [item.state is string] }\n      loop: "{{ entries }}"\n      when: item.state is defined\n';
    writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play });
    const v = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(run.events.find((e) => e.type === 'step')).toMatchObject({ status: 'skipped' });
  });
});
