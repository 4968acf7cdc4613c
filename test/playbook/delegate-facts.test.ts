/**
 * Facts set by a delegated task belong to the host the task runs for, as in Ansible; with
 * `delegate_facts: true` to the delegate. quorum gave them to the delegate either way. Held to
 * ansible-playbook 2.19 on the same play.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) =>
  [
    '- hosts: h1',
    '  gather_facts: false',
    '  tasks:',
    '    - set_fact: { x: for-h1 }',
    '      delegate_to: h2',
    '    - set_fact: { y: for-h2 }',
    '      delegate_to: h2',
    '      delegate_facts: true',
    '    - setup: { gather_subset: [min] }',
    '      delegate_to: h2',
    '      delegate_facts: true',
    `    - copy:`,
    `        dest: ${out}/facts`,
    `        content: "{{ x | default('-') }} {{ hostvars.h2.x | default('-') }} {{ y | default('-') }} {{ hostvars.h2.y | default('-') }} {{ hostvars.h2.ansible_facts.hostname is defined }}"`,
    '',
  ].join('\n');

describe('delegate_facts', () => {
  it('gives a delegated task facts to the host it runs for, or with delegate_facts to the delegate', async () => {
    const { out, run, oracle } = await sideBySide(play, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
    });
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const ansible = readFileSync(join(out.ansible, 'facts'), 'utf8');
    expect(ansible).toBe('for-h1 - - for-h2 True');
    expect(readFileSync(join(out.quorum, 'facts'), 'utf8')).toBe(ansible);
  }, 60_000);
});
