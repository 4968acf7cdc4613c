/**
 * run_once under serial, as ansible-core 2.19 runs it: once per batch, on the batch's first
 * host, every host of the batch getting its registered value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - name: once
      shell: echo {{ inventory_hostname }} >> ${out}/ran
      run_once: true
      register: r
    - name: what each host got
      copy: { content: "{{ r.cmd }}\\n", dest: "${out}/got-{{ inventory_hostname }}" }
`;

describe('run_once under serial, as ansible-core 2.19', () => {
  it('runs once per batch, on its first host', async () => {
    const hosts = 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n';
    const { out, run, oracle } = await sideBySide(play, { 'hosts.ini': hosts });
    bothSucceeded({ run, oracle });
    expect(steps(run).filter((s) => s.task === 'once').length).toBeGreaterThan(0);
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8').replaceAll(d, 'OUT');
    expect(read(out.quorum, 'ran')).toBe(read(out.ansible, 'ran'));
    expect(read(out.quorum, 'ran')).toBe('h1\nh3\n');
    for (const h of ['h1', 'h2', 'h3'])
      expect(read(out.quorum, `got-${h}`), h).toBe(read(out.ansible, `got-${h}`));
    expect(Object.keys(ansibleStatuses(oracle.stdout))).toContain('once');
  }, 60_000);
});
