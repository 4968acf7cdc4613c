/**
 * meta: end_host, as ansible-core's PlayIterator.end_host: where its condition holds, the play
 * is over for that host (its later tasks and its notified handlers do not run), the host is not
 * failed, and the next play runs on it. The files match what ansible-core 2.19 leaves for the
 * same playbook (checked by hand on this machine). end_play and end_batch: meta-end-play.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (dir: string) =>
  [
    '- hosts: all',
    '  tasks:',
    `    - copy: { dest: "${dir}/{{ inventory_hostname }}-1", content: one }`,
    '      notify: mark',
    '    - meta: end_host',
    "      when: inventory_hostname == 'h2'",
    `    - copy: { dest: "${dir}/{{ inventory_hostname }}-2", content: two }`,
    '  handlers:',
    '    - name: mark',
    `      copy: { dest: "${dir}/{{ inventory_hostname }}-handler", content: h }`,
    '- hosts: all',
    '  tasks:',
    `    - copy: { dest: "${dir}/{{ inventory_hostname }}-3", content: three }`,
    '',
  ].join('\n');

describe('meta: end_host', () => {
  it('ends the play for the hosts whose condition holds, not failing them; the next play runs', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
      'play.yml': play(dir),
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    const made = (f: string) => existsSync(join(dir, f));
    expect(['h1-1', 'h1-2', 'h1-handler', 'h1-3'].filter(made)).toEqual([
      'h1-1',
      'h1-2',
      'h1-handler',
      'h1-3',
    ]);
    expect(['h2-1', 'h2-2', 'h2-handler', 'h2-3'].filter(made)).toEqual(['h2-1', 'h2-3']);
    expect(run.events).toContainEqual(
      expect.objectContaining({ type: 'step', host: 'h2', module: 'meta', message: 'ending play for h2' }),
    );
    const ended = run.events.filter(
      (e) =>
        e.type === 'node_end' &&
        e.host === 'h2' &&
        e.reason === 'the play ended for this host (meta: end_host)',
    );
    expect(ended).toHaveLength(2); // the second copy and the handlers
  });

  it('takes vars, which its condition reads, as 2.19 (linux-system-roles: systemd, podman, sudo)', async () => {
    const r = await sideBySide(
      () => `- hosts: all
  gather_facts: false
  vars: { units: [{ name: a, user: root }, { name: b, user: web }] }
  tasks:
    - meta: end_host
      when: has_user_units and inventory_hostname == 'h2'
      vars:
        has_user_units: "{{ units | selectattr('user', 'defined') | rejectattr('user', 'match', '^root$') | list | length > 0 }}"
    - debug: { msg: "after {{ inventory_hostname }}" }
`,
      { 'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n' },
    );
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    const ansible = [...r.oracle.stdout.matchAll(/"msg": "(after h\d)"/g)].map((m) => m[1]);
    const mine = steps(r.run)
      .filter((s) => s.module === 'debug' && s.status === 'ok')
      .map((s) => String(s.message));
    expect(mine).toEqual(ansible);
    expect(mine).toEqual(['after h1']);
  });

  it('refuses a meta it lacks, and end_host with a keyword it does not take, with their place', () => {
    for (const [task, message] of [
      ['- meta: end_everything', /play\.yml:3:7: meta: end_everything is not supported/],
      [
        '- meta: end_host\n      become: true',
        /play\.yml:4:7: meta: end_host takes name, when, tags and vars \(and ignores delegate_to and run_once, as 2\.19\), not "become"/,
      ],
    ] as const) {
      const dir = workspace();
      writeFiles(dir, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': `- hosts: all\n  tasks:\n    ${task}\n`,
      });
      const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
