/**
 * import_tasks and include_tasks in a role's handlers file, as ansible-core 2.19 finds them: a
 * plain name in the role's handlers/ first, then its tasks/ (path_dwim_relative with the
 * subdir 'handlers'; kubespray's etcd role imports handlers/backup.yml this way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  roles: [svc]
`;

const files = {
  'roles/svc/tasks/main.yml': `
- name: change
  shell: echo change >> {{ out }}/log
  notify: [backup, restart]
`,
  // the same name in tasks/ and handlers/: the handlers/ one is taken
  'roles/svc/tasks/backup.yml': '- shell: echo tasks-backup >> {{ out }}/log\n',
  'roles/svc/handlers/backup.yml': `
- name: backup
  shell: echo handlers-backup >> {{ out }}/log
`,
  'roles/svc/tasks/restart-steps.yml': `
- name: restart
  shell: echo tasks-restart >> {{ out }}/log
`,
  'roles/svc/handlers/main.yml': `
- name: backup files
  import_tasks: backup.yml
- name: restart steps
  import_tasks: restart-steps.yml
`,
};

it('finds the files a handlers file imports in handlers/, then tasks/, as ansible-core 2.19', async () => {
  const { out, run, oracle } = await sideBySide(play, files);
  bothSucceeded({ run, oracle });
  const read = (d: string) => readFileSync(join(d, 'log'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  expect(read(out.quorum)).toBe('change\nhandlers-backup\ntasks-restart\n');
}, 60_000);
