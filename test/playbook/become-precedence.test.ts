/**
 * Who a task runs as, held to ansible-core 2.19 side by side: `ansible_become` and
 * `ansible_become_user` (connection variables) beat the `become` / `become_user` keywords of
 * the task and the play, and a become_user without become changes nothing. su as root needs no
 * password and no sudo; `-s /bin/sh` since nobody's login shell is nologin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const SU = 'become_method: su\n  become_flags: -s /bin/sh';

const play = (out: string) => `- hosts: all
  gather_facts: false
  become: true
  become_user: nobody
  ${SU}
  tasks:
    - name: the play's keywords
      command: whoami
      register: r0
    - name: become false on the task
      command: whoami
      become: false
      register: r1
    - name: another become_user on the task
      command: whoami
      become_user: daemon
      register: r2
    - name: users
      become: false
      copy: { dest: "${out}/{{ inventory_hostname }}", content: "{{ [r0, r1, r2] | map(attribute='stdout') | join(' ') }}\\n" }
- hosts: h4
  gather_facts: false
  ${SU}
  tasks:
    - name: become_user without become
      command: whoami
      become_user: nobody
      register: r3
    - name: users alone
      become: false
      copy: { dest: "${out}/h4-alone", content: "{{ r3.stdout }}\\n" }
`;

describe('become: variables beat keywords, as in ansible-core 2.19', () => {
  it('runs each task as the same user as ansible-playbook', async () => {
    const side = await sideBySide(play, {
      'hosts.ini': [
        'h1 ansible_connection=local',
        'h2 ansible_connection=local ansible_become=false',
        'h3 ansible_connection=local ansible_become_user=daemon',
        'h4 ansible_connection=local',
        'h5 ansible_connection=local ansible_su_user=daemon',
        '',
      ].join('\n'),
    });
    expect(side.oracle.code, side.oracle.stdout).toBe(0);
    expect(side.run.code).toBe(0);
    const users = (dir: string) =>
      ['h1', 'h2', 'h3', 'h4', 'h5', 'h4-alone'].map((h) => readFileSync(join(dir, h), 'utf8'));
    expect(users(side.out.quorum)).toEqual(users(side.out.ansible));
    expect(users(side.out.quorum)).toEqual([
      'nobody root daemon\n',
      'root root root\n',
      'daemon root daemon\n',
      'nobody root daemon\n',
      'daemon root daemon\n',
      'root\n',
    ]);
    for (const host of ['h1', 'h2', 'h3', 'h4', 'h5']) {
      const mine = Object.fromEntries(
        steps(side.run)
          .filter((s) => s.host === host)
          .map((s) => [s.task, s.status]),
      );
      expect([host, mine]).toEqual([host, ansibleStatuses(side.oracle.stdout, host)]);
    }
  });
});
