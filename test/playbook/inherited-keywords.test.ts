/**
 * run_once and delegate_to where real roles put them: on a block and on import_tasks (their
 * tasks inherit them) and in an include_tasks' `apply:`. Held to ansible-playbook 2.19: the
 * tasks run once; with both hosts local, the delegated import is seen only running where 2.19
 * runs it (what delegation does to facts: delegate-facts.test.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) =>
  [
    '- hosts: all',
    '  gather_facts: false',
    `  vars: { out: ${out} }`,
    '  tasks:',
    '    - block:',
    `        - shell: echo "block {{ inventory_hostname }}" >> ${out}/log`,
    '      run_once: true',
    '    - import_tasks: once.yml',
    '      run_once: true',
    '      delegate_to: h2',
    '    - include_tasks:',
    '        file: once.yml',
    '        apply: { run_once: true }',
    `    - shell: echo "every {{ inventory_hostname }}" >> ${out}/log`,
    '',
  ].join('\n');

describe('run_once and delegate_to on blocks, imports and apply', () => {
  it('run_once reaches the tasks of a block, an import and an apply, as in ansible-core 2.19', async () => {
    const { out, run, oracle } = await sideBySide(play, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
      'once.yml': '- shell: echo "once {{ inventory_hostname }}" >> {{ out }}/log\n',
    });
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const lines = (d: string) => readFileSync(join(d, 'log'), 'utf8').trim().split('\n').sort();
    expect(lines(out.ansible)).toEqual(['block h1', 'every h1', 'every h2', 'once h1', 'once h1']);
    expect(lines(out.quorum)).toEqual(lines(out.ansible));
  }, 60_000);
});
