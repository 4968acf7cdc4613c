/**
 * role_path as 2.19 makes it (unfrackpath: links resolved) and an include_role named from it
 * (linux-system-roles' logging: `include_role: name: "{{ role_path }}/roles/rsyslog"`), the role
 * reached through a symbolic link, as a roles folder of links is. quorum read the sub-role under
 * a name the run never rendered, so every task of it was silently "not reached". Side by side:
 * the same tasks, statuses and role_path.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const FILES = {
  'src-outer/tasks/main.yml': `- name: include the sub-role
  include_role:
    name: "{{ role_path }}/roles/sub"
- name: where
  debug: { msg: "outer at {{ role_path }}" }
`,
  'src-outer/roles/sub/tasks/main.yml': '- name: inside\n  debug: { msg: "sub at {{ role_path }}" }\n',
};

describe('role_path and an include_role named from it', () => {
  it('runs the sub-role, as 2.19, the role reached through a link', async () => {
    const side = await sideBySide(
      () => '- hosts: all\n  gather_facts: false\n  roles: [outer]\n',
      FILES,
      undefined,
      false,
      (dir) => {
        mkdirSync(join(dir, 'roles'));
        symlinkSync('../src-outer', join(dir, 'roles', 'outer'));
      },
    );
    expect(side.oracle.code, side.oracle.stdout).toBe(0);
    const theirs = ansibleStatuses(side.oracle.stdout);
    const messages = steps(side.run)
      .filter((s) => s.module === 'debug')
      .map((s) => [s.task, String(s.message)]);
    const real = join(side.dir, 'src-outer');
    expect(messages).toEqual([
      [`${real}/roles/sub : inside`, `sub at ${real}/roles/sub`],
      ['outer : where', `outer at ${real}`],
    ]);
    for (const [task] of messages) expect(theirs[task]).toBe('ok');
    expect(side.oracle.stdout).toContain(`"msg": "sub at ${real}/roles/sub"`);
    expect(side.oracle.stdout).toContain(`"msg": "outer at ${real}"`);
  }, 60_000);
});
