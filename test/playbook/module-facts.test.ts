/**
 * Facts a module sets (package_facts, getent, setup with a filter) join `ansible_facts` beside
 * the gathered ones, as ansible-core 2.19's fact cache does (vars/clean.py namespace_facts):
 * ansible-lockdown's CIS roles read `ansible_facts.mounts` after `package_facts`, which once
 * hid every gathered fact. Held side by side with ansible-playbook on the local host.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: getent
      getent: { database: passwd, key: root }${seenTask(
        out,
        'getent',
        '[ansible_facts.getent_passwd.root, getent_passwd.root, ansible_facts.distribution is defined, hostvars[inventory_hostname].ansible_facts.getent_passwd.root]',
      )}
    - name: one fact
      setup: { filter: ansible_os_family }
    - name: another
      setup: { filter: ansible_system }${seenTask(
        out,
        'filtered',
        '[ansible_facts.os_family, ansible_facts.system, ansible_system, ansible_facts.getent_passwd is defined, ansible_facts.mounts is defined]',
      )}
    - name: clear
      meta: clear_facts${seenTask(out, 'cleared', '[ansible_facts.getent_passwd is defined, getent_passwd is defined, ansible_facts.os_family is defined]')}
- hosts: all
  tasks:
    - name: packages
      package_facts: { manager: auto }${seenTask(
        out,
        'gathered',
        "[ansible_facts.packages['dpkg'] | length, packages['dpkg'] | length, ansible_facts.mounts | map(attribute='mount') | sort, ansible_facts.os_family, hostvars[inventory_hostname].ansible_facts.packages is defined, hostvars[inventory_hostname].ansible_facts.mounts is defined]",
      )}
`;

describe('facts a module sets, as ansible-core 2.19', () => {
  it('join ansible_facts beside the gathered facts, in hostvars too, until clear_facts', async () => {
    const { out, run, oracle } = await sideBySide(play);
    expect([oracle.code, run.code], oracle.stdout).toEqual([0, 0]);
    // ansible-playbook prints nothing for a meta task
    const mine = steps(run).filter((s) => s.task !== 'clear');
    expect(Object.fromEntries(mine.map((s) => [s.task, s.status]))).toEqual(ansibleStatuses(oracle.stdout));
    // mounts sorted: Ansible lists them in the order its thread pool finishes them
    // (module_utils/facts/hardware/linux.py get_mount_facts), which varies from run to run
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    for (const f of ['getent', 'filtered', 'cleared', 'gathered'])
      expect(read(out.quorum, f), f).toBe(read(out.ansible, f));
    expect(JSON.parse(read(out.quorum, 'getent'))).toEqual([
      ['x', '0', '0', 'root', '/root', '/bin/bash'],
      ['x', '0', '0', 'root', '/root', '/bin/bash'],
      false,
      ['x', '0', '0', 'root', '/root', '/bin/bash'],
    ]);
    expect(JSON.parse(read(out.quorum, 'filtered'))).toEqual(['Debian', 'Linux', 'Linux', true, false]);
    expect(JSON.parse(read(out.quorum, 'cleared'))).toEqual([false, false, false]);
    const [, , mounts, family, pkgs, hostMounts] = JSON.parse(read(out.quorum, 'gathered'));
    expect([mounts.length > 0, family, pkgs, hostMounts]).toEqual([true, 'Debian', true, true]);
  }, 120_000);
});
