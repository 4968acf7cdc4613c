/**
 * meta: clear_facts and refresh_inventory. clear_facts is held to ansible-core 2.19 side by
 * side (what a facts module set is gone, set_fact's variables stay); refresh_inventory with the
 * inventory unchanged goes on, and with it changed mid-run fails the host there, saying why
 * (quorum plans every play's hosts before the run, where Ansible would take the new inventory on).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const clearing = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - getent: { database: passwd, key: root }
    - set_fact: { mine: 1 }
    - copy: { dest: ${out}/before, content: "{{ getent_passwd is defined }} {{ mine is defined }}" }
    - meta: clear_facts
    - copy: { dest: ${out}/after, content: "{{ getent_passwd is defined }} {{ mine is defined }}" }
    - meta: refresh_inventory
`;

describe('meta: clear_facts and refresh_inventory', () => {
  it('clear_facts drops what a facts module set and keeps set_fact, as ansible-core 2.19', async () => {
    const { dir, run, oracle } = await sideBySide(clearing);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    for (const f of ['before', 'after'])
      expect(readFileSync(join(dir, 'q', f), 'utf8')).toBe(readFileSync(join(dir, 'a', f), 'utf8'));
    expect(readFileSync(join(dir, 'q/before'), 'utf8')).toBe('True True');
    expect(readFileSync(join(dir, 'q/after'), 'utf8')).toBe('False True');
    expect(Object.fromEntries(steps(run).map((s) => [s.task, s.status]))).toMatchObject({
      'meta: clear_facts': 'ok',
      'meta: refresh_inventory': 'ok',
    });
    expect(ansibleStatuses(oracle.stdout)).toMatchObject({ getent: 'ok' });
  });

  it('refresh_inventory after the inventory changed fails the host there and says why', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: add a host to the inventory file
      lineinfile: { path: ${join(dir, 'hosts.ini')}, line: "h2 ansible_connection=local" }
    - meta: refresh_inventory
    - copy: { dest: ${dir}/never, content: x }
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    const refresh = steps(r).find((s) => s.task === 'meta: refresh_inventory');
    expect(refresh?.status).toBe('failed');
    expect(refresh?.error?.message).toMatch(
      /the inventory changed since the run began.*run the playbook again/,
    );
    expect(steps(r).some((s) => s.task === 'copy')).toBe(false);
  });

  it('refuses when on refresh_inventory at its place (Ansible ignores it with a warning)', () => {
    const r = validateCli('- hosts: all\n  tasks:\n    - meta: refresh_inventory\n      when: false\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: meta: refresh_inventory does not take when/);
    // reset_connection too: 2.19 warns and resets anyway
    const reset = validateCli('- hosts: all\n  tasks:\n    - meta: reset_connection\n      when: false\n');
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(/play\.yml:4:\d+: meta: reset_connection does not take when/);
  });
});
