/**
 * Keywords a play (and a block or an import) gives the tasks in it, and the play keywords that
 * shape its run, held to ansible-core 2.19 side by side: ignore_errors, no_log, check_mode, diff
 * and throttle passed down to tasks that do not set them; force_handlers (a failed host still
 * runs the handlers notified before); order (which serial batches follow); fact_path;
 * gather_subset and gather_timeout accepted; run_once on a play; a block's any_errors_fatal.
 * quorum refused all of these.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps, validateCli } from '../helpers/run-local.ts';
import { ansibleStatuses, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const THREE = 'h3 ansible_connection=local\nh1 ansible_connection=local\nh2 ansible_connection=local\n';

describe('play keywords, as ansible-core 2.19', () => {
  it('passes ignore_errors, no_log and check_mode down to the tasks that do not set them', async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  ignore_errors: true
  no_log: true
  tasks:
    - name: fails, ignored by the play
      command: "false"
    - block:
        - name: its own ignore_errors
          command: "false"
          ignore_errors: false
      rescue:
        - name: rescue
          copy: { dest: ${d}/rescued, content: "x" }
      no_log: false
    - name: after
      copy: { dest: ${d}/after, content: "x" }
`;
    const sides = await sideBySide(play);
    expect(sameStatuses(sides)).toMatchObject({ 'fails, ignored by the play': 'failed', rescue: 'changed' });
    for (const d of Object.values(sides.out)) expect(existsSync(join(d, 'after'))).toBe(true);
    // the play's no_log hides what the first task printed; the block's no_log: false shows its own
    const failed = steps(sides.run).filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.error?.message)).toEqual([
      'failed (details hidden: no_log)',
      expect.stringContaining('exit code 1'),
    ]);
  });

  it('force_handlers: a host that fails runs the handlers notified before; without it, not', async () => {
    const play = (d: string) =>
      [true, false]
        .map(
          (force) => `
- hosts: all
  gather_facts: false
  force_handlers: ${force}
  tasks:
    - name: notify ${force}
      copy: { dest: ${d}/conf-${force}, content: "x" }
      notify: handler ${force}
    - name: fail ${force}
      command: "false"
  handlers:
    - name: handler ${force}
      copy: { dest: ${d}/handled-${force}, content: "x" }
`,
        )
        .join('');
    const sides = await sideBySide(play);
    expect(sides.oracle.code).toBe(2);
    expect(sides.run.code).toBe(2);
    const mine = Object.fromEntries(steps(sides.run).map((s) => [s.task, s.status]));
    const { 'handler true': handled, ...tasks } = mine;
    // the first play's failure ends the host: the second play does not run on it
    expect(tasks).toEqual(ansibleStatuses(sides.oracle.stdout));
    expect(handled).toBe('changed');
    expect(sides.oracle.stdout).toMatch(/RUNNING HANDLER \[handler true\][^\n]*\nchanged: \[h1\]/);
    for (const d of Object.values(sides.out))
      expect([existsSync(join(d, 'handled-true')), existsSync(join(d, 'conf-false'))]).toEqual([true, false]);
  });

  it("a block's any_errors_fatal: its failure on one host stops every host", async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - name: fails on h1
          command: "test {{ inventory_hostname }} != h1"
      any_errors_fatal: true
    - name: after
      copy: { dest: "${d}/after-{{ inventory_hostname }}", content: "x" }
`;
    const sides = await sideBySide(play, { 'hosts.ini': THREE });
    expect([sides.run.code, sides.oracle.code]).toEqual([2, 2]);
    expect(sides.oracle.stdout).not.toContain('TASK [after]');
    expect(steps(sides.run).filter((s) => s.task === 'after')).toEqual([]);
    expect(
      steps(sides.run)
        .filter((s) => s.task === 'fails on h1')
        .map((s) => [s.host, s.status]),
    ).toEqual(
      expect.arrayContaining([
        ['h1', 'failed'],
        ['h2', 'changed'],
        ['h3', 'changed'],
      ]),
    );
  });

  it('order: serial batches follow the sorted or reversed host order', async () => {
    const play = (d: string) =>
      ['sorted', 'reverse_inventory', 'reverse_sorted']
        .map(
          (order) => `
- hosts: all
  gather_facts: false
  order: ${order}
  serial: 1
  tasks:
    - name: ${order}
      shell: "echo {{ inventory_hostname }} >> ${d}/${order}"
`,
        )
        .join('');
    const sides = await sideBySide(play, { 'hosts.ini': THREE });
    expect([sides.run.code, sides.oracle.code]).toEqual([0, 0]);
    for (const order of ['sorted', 'reverse_inventory', 'reverse_sorted']) {
      const [mine, theirs] = Object.values(sides.out).map((d) => readFileSync(join(d, order), 'utf8'));
      expect(mine).toBe(theirs);
    }
    expect(readFileSync(join(sides.out.quorum, 'sorted'), 'utf8')).toBe('h1\nh2\nh3\n');
  });

  it('fact_path, gather_subset, gather_timeout, run_once and debugger: never', async () => {
    const play = (d: string) => {
      mkdirSync(join(d, 'facts.d'), { recursive: true });
      writeFileSync(join(d, 'facts.d', 'site.fact'), '{"role": "web"}\n');
      return `
- hosts: all
  fact_path: ${d}/facts.d
  gather_subset: [all]
  gather_timeout: 20
  run_once: true
  debugger: never
  tasks:
    - name: local facts
      copy: { dest: ${d}/local.json, content: "{{ ansible_local | to_json }}" }
`;
    };
    const sides = await sideBySide(play, { 'hosts.ini': THREE });
    expect([sides.run.code, sides.oracle.code]).toEqual([0, 0]);
    const [mine, theirs] = Object.values(sides.out).map((d) => readFileSync(join(d, 'local.json'), 'utf8'));
    expect(JSON.parse(mine)).toEqual({ site: { role: 'web' } });
    expect(mine).toBe(theirs);
    // run_once: the one task ran on the first host only, in both
    expect(steps(sides.run).filter((s) => s.task === 'local facts')).toHaveLength(1);
    expect(sides.oracle.stdout.match(/^changed: \[h\d\]/gm)).toHaveLength(1);
  });
});

describe('become_flags and become_exe, as ansible-core 2.19', () => {
  it('takes the flags that ask for what quorum does, and refuses the others with their place', async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: su with a shell
      command: id -un
      become: true
      become_method: su
      become_user: nobody
      become_flags: "-s /bin/sh"
      register: r0
    - name: results
      copy: { dest: ${d}/who, content: "{{ r0.stdout }}" }
`;
    const sides = await sideBySide(play);
    sameStatuses(sides);
    for (const d of Object.values(sides.out)) expect(readFileSync(join(d, 'who'), 'utf8')).toBe('nobody');
    // sudo's own flags are taken (this machine has no sudo for Ansible's side: validated only)
    const sudo = validateCli(
      '- hosts: all\n  tasks:\n    - command: id\n      become: true\n      become_flags: "-H -S -n"\n      become_exe: /usr/bin/sudo\n',
      'h1 ansible_connection=local\n',
    );
    expect(sudo.code, sudo.stderr).toBe(0);
    for (const [keys, message] of [
      [
        'become: true\n      become_flags: "-i"',
        /play\.yml:5:\d+: become_flags "-i" is not supported with sudo/,
      ],
      ['become: true\n      become_exe: doas', /play\.yml:5:\d+: become_exe doas is not supported/],
      [
        'become: true\n      become_method: su\n      become_flags: "-l"',
        /play\.yml:6:\d+: become_flags "-l" is not supported with su/,
      ],
    ] as const) {
      const r = validateCli(
        `- hosts: all\n  tasks:\n    - command: id\n      ${keys}\n`,
        'h1 ansible_connection=local\n',
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
