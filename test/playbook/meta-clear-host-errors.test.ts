/**
 * meta: clear_host_errors as ansible-core 2.19 runs it: a host that failed sits out the rest of
 * the play and runs the plays after it; the recap still counts its failure, the exit code does
 * not. Held to ansible-playbook side by side on two hosts (what each wrote, the exit code).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sideBySide } from '../helpers/side-by-side.ts';

const HOSTS = 'h1 ansible_connection=local\nh2 ansible_connection=local\n';

const play = (clear: boolean) => (out: string) =>
  `
- hosts: all
  gather_facts: false
  tasks:
    - command: "false"
      when: inventory_hostname == 'h2'
    - copy: { dest: "${out}/before-{{ inventory_hostname }}", content: x }
${clear ? '    - meta: clear_host_errors\n' : ''}    - copy: { dest: "${out}/after-{{ inventory_hostname }}", content: x }
- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "${out}/next-{{ inventory_hostname }}", content: x }
`;

describe('meta: clear_host_errors, as ansible-core 2.19', () => {
  it.each([
    [true, ['after-h1', 'before-h1', 'next-h1', 'next-h2'], 0],
    [false, ['after-h1', 'before-h1', 'next-h1'], 2],
  ])('cleared %s: the failed host runs the later plays only when cleared', async (clear, files, code) => {
    const { dir, run, oracle } = await sideBySide(play(clear), { 'hosts.ini': HOSTS });
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(files);
    expect(readdirSync(join(dir, 'q')).sort()).toEqual(files);
    expect([run.code, oracle.code]).toEqual([code, code]);
    const recap = run.events.find((e) => e.type === 'recap');
    expect(recap?.type === 'recap' && recap.hosts.h2.failed).toBe(1);
  });
});
