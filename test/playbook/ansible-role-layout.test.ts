/**
 * The role layouts ansible-core finds (Role._load_role_yaml, DataLoader.find_vars_files): a
 * `defaults/main/` or `vars/main/` folder of files merged in sorted order (folders without an
 * extension searched too, hidden files and backups skipped), a role with only vars, and
 * `tasks_from` tried bare first. The expected values are what ansible-core 2.14 and 2.19 print
 * for the same files (checked by hand with both on this machine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

describe('roles in every layout ansible-core reads', () => {
  it('merges a defaults/main/ and a vars/main/ folder file by file, in sorted order', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': `h1 ansible_connection=local out=${dir}/out\n`,
      'play.yml': '- hosts: all\n  roles: [layered]\n',
      'roles/layered/defaults/main/10-base.yml': 'port: 80\nname: base\nkeep: yes-base\n',
      'roles/layered/defaults/main/20-site.yaml': 'port: 8080\n',
      'roles/layered/defaults/main/30-extra/more.yml': 'name: nested\n',
      'roles/layered/defaults/main/.hidden.yml': 'port: 1\n',
      'roles/layered/defaults/main/40-backup.yml~': 'port: 2\n',
      'roles/layered/defaults/main/notes.txt': 'port: 3\n',
      'roles/layered/vars/main/a.json': '{"mode": "json"}\n',
      'roles/layered/tasks/main.yml':
        '- copy: { dest: "{{ out }}", content: "{{ port }} {{ name }} {{ keep }} {{ mode }}" }\n',
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('8080 nested yes-base json');
  });

  it('includes a role that has only vars, and tasks_from names a file tried bare first', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': `h1 ansible_connection=local out=${dir}/out\n`,
      'play.yml': [
        '- hosts: all',
        '  tasks:',
        '    - include_role: { name: only_vars }',
        '    - include_role: { name: worker, tasks_from: install }',
        '',
      ].join('\n'),
      'roles/only_vars/vars/main.yml': 'unused: 1\n',
      'roles/worker/tasks/install': '- copy: { dest: "{{ out }}", content: bare }\n',
      'roles/worker/tasks/install.yml': '- copy: { dest: "{{ out }}", content: yml }\n',
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('bare');
  });
});
