/** A notify naming no handler is refused before any host (it was a handler that never ran). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { playCli, workspace, writeFiles } from '../helpers/run-local.ts';

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
