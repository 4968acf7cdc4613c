/**
 * reboot held to ansible-core 2.19's action plugin over real SSH (an sshd on loopback, started
 * and stopped by this test). A host cannot really reboot here, so each side's reboot_command is a
 * stand-in for shutdown that does what a reboot does to the controller: the session's sshd ends
 * (the connection drops), and a moment later the boot id (boot_time_command reads a file) is new.
 * Both engines must carry on past the drop on a new connection; then the failures the plugin
 * has (a failing command, a program not in search_paths, a boot id that never changes), the
 * local-connection refusal, and a check run that touches nothing.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { cliSideBySide, loopbackHost } from '../helpers/ssh-side-by-side.ts';
import { canRunSshd } from '../helpers/sshd.ts';

/**
 * Ends the nearest sshd above it (its own session: a process this test's sshd started), then a new
 * boot id. HUP is ignored before the fork: Ansible runs the command on a terminal (ssh -tt), whose
 * hangup reached the background shell before its setsid under load, and no new boot id came.
 */
const FAKE_REBOOT = `#!/bin/sh
trap '' HUP
d=$(dirname "$0")
p=$$
i=0
while [ $i -lt 10 ] && [ "$(ps -o comm= -p "$p")" != sshd ]; do
  p=$(ps -o ppid= -p "$p" | tr -d ' ')
  i=$((i + 1))
done
[ "$(ps -o comm= -p "$p")" = sshd ] || { echo "no sshd above $$" >&2; exit 1; }
setsid sh -c "sleep 0.3; kill $p; sleep 0.5; echo boot-\\$(date +%s%N) > $d/boot_id" </dev/null >/dev/null 2>&1 &
`;

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: reboot
      reboot: { reboot_command: ${d}/fake-reboot.sh, boot_time_command: cat ${d}/boot_id, test_command: test -s ${d}/boot_id, reboot_timeout: 90 }
      register: r
    - name: after the reboot
      copy: { content: "{{ r.rebooted }} {{ r.changed }} {{ r.elapsed is number }}\\n", dest: ${d}/after }
    - name: on the new connection
      shell: cat ${d}/boot_id > ${d}/seen
    - name: a reboot command that fails
      reboot: { reboot_command: /bin/false }
      register: f
      ignore_errors: true
    - name: a program not in the search paths
      reboot: { reboot_command: no-such-shutdown -r now, search_paths: [${d}] }
      register: n
      ignore_errors: true
    - name: a boot id that never changes
      reboot: { reboot_command: /bin/true, boot_time_command: cat ${d}/boot_id, reboot_timeout: 2 }
      register: t
      ignore_errors: true
    - name: the messages
      copy: { content: "{{ [f.msg, n.msg, t.msg] | to_json }}\\n", dest: ${d}/messages }
`;

describe.skipIf(!canRunSshd)('reboot, as ansible-core 2.19 over SSH', () => {
  const dir = workspace();
  const host = loopbackHost(dir, 'reboot');

  const side = (name: string, text = play) => {
    const d = join(dir, name);
    writeFiles(d, { 'fake-reboot.sh': FAKE_REBOOT, boot_id: 'boot-first\n', 'play.yml': text(d) });
    chmodSync(join(d, 'fake-reboot.sh'), 0o755);
    writeFiles(d, { 'hosts.ini': host.inventory() });
    return d;
  };
  const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
  const bothSides = async (q: string, a: string, extra: string[] = []) => {
    const r = await cliSideBySide(q, a, extra);
    expect(r.theirs.code, r.theirs.stdout).toBe(0);
    expect(r.mine.code, r.mine.stderr).toBe(0);
    return { statuses: r.statuses, theirs: r.ansible };
  };

  it('reboots, waits for the new boot id, carries on, and fails where the plugin fails', async () => {
    const [q, a] = [side('q'), side('a')];
    const { statuses, theirs } = await bothSides(q, a);
    expect(statuses).toEqual(theirs);
    expect(statuses).toMatchObject({ reboot: 'changed', 'a reboot command that fails': 'failed' });
    expect(read(q, 'after')).toBe(read(a, 'after'));
    // the same words but for each side's folder and what OpenSSH's client (Ansible's transport)
    // prints on stderr when a multiplexed session ends
    const words = (d: string) =>
      read(d, 'messages').replaceAll(d, 'DIR').replace('Shared connection to 127.0.0.1 closed.', '');
    expect(words(q)).toBe(words(a));
    expect(read(q, 'after')).toBe('True True True\n');
    // the command after the reboot ran on a new connection and saw the new boot id
    expect(read(q, 'seen')).toMatch(/^boot-\d+\n$/);
    expect(read(q, 'seen')).toBe(read(q, 'boot_id'));
  }, 240_000);

  it('a check run predicts the reboot and runs nothing, as the plugin does', async () => {
    // the reboot alone: the plays' later tasks read messages a check run's result has not
    const onlyReboot = (d: string) => play(d).split('    - name: after the reboot')[0];
    const [q, a] = [side('qc', onlyReboot), side('ac', onlyReboot)];
    const { statuses, theirs } = await bothSides(q, a, ['--check']);
    expect(statuses).toEqual({ reboot: 'would_change' });
    expect(theirs).toEqual({ reboot: 'changed' });
    for (const d of [q, a]) expect(read(d, 'boot_id')).toBe('boot-first\n');
  }, 120_000);

  it('refuses a local connection, in a check run too', async () => {
    const d = workspace();
    writeFiles(d, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: reboot\n      reboot:\n',
    });
    for (const check of [false, true]) {
      const run = await runLocal(d, { check });
      const oracle = await ansibleCurrent(
        'ansible-playbook',
        ['-i', 'hosts.ini', 'play.yml', ...(check ? ['--check'] : [])],
        d,
      );
      expect(run.code).toBe(2);
      expect(oracle.code).toBe(2);
      expect(steps(run)[0].status).toBe('failed');
      expect(steps(run)[0].error?.message).toBe(
        'Running reboot with local connection would reboot the control node.',
      );
      expect(oracle.stdout).toContain('Running reboot with local connection would reboot the control node.');
    }
  }, 120_000);
});
