/** A notify naming no handler is refused before any host (it was a handler that never ran). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { playCli, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const PLAY = (dir: string, notify: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: config
      copy: { dest: ${dir}/app.conf, content: "x\\n" }
      notify: ${notify}
  handlers:
    - name: restart app
      command: "true"
    - name: reload web
      command: "true"
      listen: web changed
`;

describe('notify names a handler', () => {
  it('a typo is refused at the task, with a did-you-mean, by validate and before any host', () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': PLAY(dir, 'restrat app') });
    const v = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(
      `${join(dir, 'play.yml')}:4:7: notify: "restrat app" is no handler of this play`,
    );
    expect(v.stderr).toContain('did you mean "restart app"?');
    expect(playCli(dir).code).toBe(1);
    expect(existsSync(join(dir, 'app.conf'))).toBe(false);
  });

  it('a handler name and a listen topic are both fine, and the handler runs', () => {
    for (const name of ['restart app', '"web changed"']) {
      const dir = workspace();
      writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': PLAY(dir, name) });
      const r = playCli(dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/HANDLER h1 (restart app|reload web)/);
    }
  });
});

describe('templated names, as ansible-playbook 2.19 (mrlesmithjr.chrony: notify "restart {{ chrony_service }}")', () => {
  const play = (notify: string) => (out: string) =>
    `- hosts: all
  gather_facts: false
  vars: { service: app, who: world, nothing_here: ghost }
  tasks:
    - name: config for {{ who }}
      copy: { dest: ${out}/app.conf, content: "x\\n" }
      notify: ${notify}
  handlers:
    - name: restart app
      copy: { dest: ${out}/restarted, content: "x\\n" }
`;

  it('a templated notify reaches its handler; task names are shown rendered', async () => {
    const r = await sideBySide(play('restart {{ service }}'));
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    const ansible = ansibleStatuses(r.oracle.stdout);
    expect(ansible).toEqual({ 'config for world': 'changed' });
    expect(r.oracle.stdout).toMatch(/RUNNING HANDLER \[restart app\][^\n]*\nchanged: \[h1\]/);
    expect(steps(r.run).map((s) => `${s.task} ${s.status}`)).toEqual([
      'config for world changed',
      'restart app changed',
    ]);
    expect(existsSync(join(r.out.quorum, 'restarted'))).toBe(true);
  });

  it('one that names no handler fails the run there, as 2.19 does, and no handler runs', async () => {
    const r = await sideBySide(play('restart {{ nothing_here }}'));
    expect(r.oracle.code).not.toBe(0);
    expect(r.oracle.stdout + r.oracle.stderr).toContain(
      "The requested handler 'restart ghost' was not found in either the main handlers list nor in the listening handlers list",
    );
    expect(r.run.code).not.toBe(0);
    expect(JSON.stringify(r.run.events)).toContain("The requested handler 'restart ghost' was not found");
    expect(existsSync(join(r.out.quorum, 'restarted'))).toBe(false);
    expect(existsSync(join(r.out.ansible, 'restarted'))).toBe(false);
  });
});

describe("a role's handler runs under its role's name, as ansible-playbook 2.19 shows it", () => {
  const play = (out: string) => `- hosts: all
  gather_facts: false
  roles:
    - { role: app, out: ${out} }
`;
  const files = {
    'roles/app/tasks/main.yml':
      '- name: config\n  copy: { dest: "{{ out }}/app.conf", content: "x\\n" }\n  notify: restart app\n',
    'roles/app/handlers/main.yml':
      '- name: restart app\n  copy: { dest: "{{ out }}/restarted", content: "x\\n" }\n',
  };

  it('"app : restart app" in both', async () => {
    const r = await sideBySide(play, files);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.oracle.stdout).toMatch(/RUNNING HANDLER \[app : restart app\][^\n]*\nchanged: \[h1\]/);
    expect(steps(r.run).map((s) => `${s.task} ${s.status}`)).toEqual([
      'app : config changed',
      'app : restart app changed',
    ]);
  });
});
