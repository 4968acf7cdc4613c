/**
 * become with a non-root login on a lab host, through the real sudo: passwordless, with a
 * password (never shown), a wrong password (a clear failure, not a hang), and become_user.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stateDir } from '../../src/lab/lab.ts';
import { quorumAsync } from '../helpers/cli.ts';
import { canRunLab, ensureLab, labInventory, playJson } from '../helpers/lab.ts';
import { workspace } from '../helpers/run-local.ts';

const HOST = '198.51.100.22';
const PASSWORD = 'ops-Secret-42';

function file(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

const messages = (events: Array<{ type: string; task?: string; message?: string }>, task: string) =>
  events.filter((e) => e.type === 'step' && e.task === task).map((e) => e.message);

describe.runIf(canRunLab)('become as a non-root user over SSH (real sudo)', () => {
  let dir: string;
  let inventory: (user: string, password?: string) => string;

  beforeAll(async () => {
    await ensureLab();
    dir = workspace();
    // as root: sudo, a passwordless sudoer (deploy) and one who must give a password (ops)
    const setup = file(
      dir,
      'setup.yml',
      `- hosts: w2
  tasks:
    - package: { name: sudo }
    - user: { name: "{{ item }}", shell: /bin/sh }
      loop: [deploy, ops]
    - file: { path: "/home/{{ item }}/.ssh", state: directory, owner: "{{ item }}", mode: "0700" }
      loop: [deploy, ops]
    - copy: { src: /root/.ssh/authorized_keys, remote_src: true, dest: "/home/{{ item }}/.ssh/authorized_keys", owner: "{{ item }}", mode: "0600" }
      loop: [deploy, ops]
    - copy: { dest: /etc/sudoers.d/quorum-test, mode: "0440", validate: "visudo -cf %s", content: "deploy ALL=(ALL) NOPASSWD: ALL\\nops ALL=(ALL) ALL\\n" }
    - command: chpasswd
      args: { stdin: "ops:${PASSWORD}" }
      changed_when: false
      no_log: true
`,
    );
    const r = playJson(setup);
    expect(r.code, r.stderr).toBe(0);
    inventory = (user, password) =>
      file(
        dir,
        `${user}.yml`,
        `all:\n  vars:\n    ansible_ssh_private_key_file: ${stateDir()}/id_ed25519\n    ansible_ssh_common_args: -o UserKnownHostsFile=${stateDir()}/known_hosts\n  hosts:\n    w2: { ansible_host: ${HOST}, ansible_user: ${user}${password ? `, ansible_become_password: "${password}"` : ''} }\n`,
      );
  }, 300_000);

  const whoami = (become: string) =>
    `- hosts: all\n  tasks:\n    - name: plain\n      command: id -un\n      changed_when: false\n      register: a\n    - name: root\n      command: id -un\n      changed_when: false\n      become: true\n${become}      register: b\n    - name: said\n      debug: { msg: "{{ a.stdout }} {{ b.stdout }}" }\n`;

  it('passwordless sudo: become reaches root, become_user another user', () => {
    const r = playJson(file(dir, 'p1.yml', whoami('')), [], inventory('deploy'));
    expect(r.code, r.stderr).toBe(0);
    expect(messages(r.events, 'said')).toEqual(['deploy root']);
    const u = playJson(file(dir, 'p2.yml', whoami('      become_user: nobody\n')), [], inventory('deploy'));
    expect(messages(u.events, 'said')).toEqual(['deploy nobody']);
  });

  it('sudo with a password: works, and the password never shows', () => {
    const r = playJson(file(dir, 'p3.yml', whoami('')), ['-vv'], inventory('ops', PASSWORD));
    expect(r.code, r.stderr).toBe(0);
    expect(messages(r.events, 'said')).toEqual(['ops root']);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  // the test's own timeout is the bound: a sudo prompt waiting for input would hang here
  it('a wrong password fails the step with sudo saying why, and does not hang', () => {
    const r = playJson(file(dir, 'p4.yml', whoami('')), [], inventory('ops', 'not-the-password'));
    expect(r.code).toBe(2);
    const failed = r.events.find((e) => e.type === 'step' && e.status === 'failed') as {
      task: string;
      error?: { stderrTail?: string; message: string };
    };
    expect(failed.task).toBe('root');
    expect(JSON.stringify(failed.error)).toMatch(/incorrect password|try again|password/i);
  }, 60_000);

  it('two runs on one host never interleave: the second waits for the first, saying whose it is', async () => {
    // the lab's hosts are real: the lease is on (the unit suite turns it off for this machine)
    const env = { QUORUM_RUN_LOCK: 'on' };
    // the first run's first change takes the lease; the second starts once the host shows it
    const marker = `started-${Date.now()}`;
    const slow = file(
      dir,
      'slow.yml',
      `- hosts: w1\n  tasks:\n    - copy: { dest: /root/${marker}, content: x }\n    - command: sleep 4\n    - copy: { dest: /root/order, content: first }\n`,
    );
    const quick = file(
      dir,
      'quick.yml',
      '- hosts: w1\n  tasks:\n    - copy: { dest: /root/order, content: second }\n',
    );
    const first = quorumAsync(['play', slow, '-i', labInventory(), '--json'], { env });
    const seen = join(stateDir(), 'hosts', 'w1', 'upper', 'root', marker);
    for (let i = 0; i < 300 && !existsSync(seen); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(seen)).toBe(true);
    const second = await quorumAsync(['play', quick, '-i', labInventory(), '--json'], { env });
    const firstDone = await first;
    expect(firstDone.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /w1 is being changed by another quorum run \(pid \d+ on .+\): waiting up to 30 s/,
    );
    // the second wrote after the first had finished: its content is the last
    const check = playJson(
      file(
        dir,
        'read.yml',
        '- hosts: w1\n  tasks:\n    - slurp: { src: /root/order }\n      register: o\n    - debug: { msg: "{{ o.content | b64decode }}" }\n',
      ),
    );
    expect(
      check.events
        .filter((e) => e.type === 'step' && e.module === 'debug')
        .map((e) => (e as { message?: string }).message),
    ).toEqual(['second']);
  }, 120_000);
});
