/**
 * How a play names its roles, as ansible-core 2.19 finds them (RoleDefinition._load_role_path),
 * side by side: a name that is a template (the play's vars, playbook_dir, -e), a path to the
 * role's folder, `name:` in place of `role:`, a role in the playbook's own folder rather than
 * roles/ (ansible-lockdown's `role: "{{ playbook_dir }}"` runs the repository itself).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const writes = (role: string) =>
  `- copy: { dest: "{{ out }}/${role}-{{ role_name | basename }}", content: "${role} {{ greeting | default('none') }}" }\n`;

/** play.yml in `dir` through both engines, each writing under its own `out`; both must pass. */
async function bothRun(dir: string, extra: Record<string, string> = {}) {
  const out = { quorum: join(dir, 'q'), ansible: join(dir, 'a') };
  for (const d of Object.values(out)) mkdirSync(d);
  const run = await runLocal(dir, { extraVars: { out: out.quorum, ...extra } });
  expect(run.code).toBe(0);
  const more = Object.entries(extra).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const oracle = await ansibleCurrent(
    'ansible-playbook',
    ['-i', 'hosts.ini', 'play.yml', '-e', `out=${out.ansible}`, ...more],
    dir,
  );
  expect(oracle.code, oracle.stdout).toBe(0);
  const same = (f: string) =>
    expect(readFileSync(join(out.quorum, f), 'utf8'), f).toBe(readFileSync(join(out.ansible, f), 'utf8'));
  return { out, run, same };
}

describe('role names and paths', () => {
  it('find the roles ansible-core 2.19 finds, from templates, paths and the playbook folder', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'roles/web/tasks/main.yml': writes('web'),
      'site/tasks/main.yml': writes('site'),
      'beside/tasks/main.yml': writes('beside'),
      'elsewhere/db/tasks/main.yml': writes('db'),
      'elsewhere/db/defaults/main.yml': 'greeting: from db defaults\n',
      'play.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  vars: { which: web, place: elsewhere }',
        '  roles:',
        '    - role: "{{ which }}"',
        '    - role: "{{ playbook_dir }}/site"',
        '    - name: beside',
        '      greeting: hello',
        '    - "{{ playbook_dir }}/{{ place }}/db"',
        '    - role: "{{ chosen }}"',
        '',
      ].join('\n'),
    });
    const { out, same } = await bothRun(dir, { chosen: 'beside' });
    for (const f of ['web-web', 'site-site', 'beside-beside', 'db-db']) same(f);
    // `beside` ran twice: the -e named use last, which sees db's defaults (a play role's defaults reach the later roles)
    expect(readFileSync(join(out.quorum, 'beside-beside'), 'utf8')).toBe('beside from db defaults');
    expect(readFileSync(join(out.quorum, 'db-db'), 'utf8')).toBe('db from db defaults');
  }, 60_000);
});

describe("a role's includes", () => {
  it("find a plain name from a subfolder of tasks/ in the role's tasks/, as 2.19 does", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'roles/sec/tasks/main.yml': '- import_tasks: section/one.yml\n- include_tasks: section/two.yml\n',
      'roles/sec/tasks/section/one.yml': '- import_tasks: shared.yml\n  vars: { which: one }\n',
      'roles/sec/tasks/section/two.yml': '- include_tasks: shared.yml\n  vars: { which: two }\n',
      'roles/sec/tasks/shared.yml': '- copy: { dest: "{{ out }}/{{ which }}", content: "{{ which }}" }\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  roles: [sec]\n',
    });
    const { run, same } = await bothRun(dir);
    expect(run.events.filter((e) => e.type === 'warning')).toEqual([]);
    for (const f of ['one', 'two']) same(f);
  }, 60_000);
});

describe('includes as linux-system-roles write them', () => {
  it("find a file by the playbook's folder, and an include_role's templated tasks_from and public, as 2.19", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'roles/web/tasks/main.yml':
        '- copy: { dest: "{{ out }}/main-{{ tag }}", content: "main {{ web_port }}" }\n',
      'roles/web/tasks/other.yml':
        '- copy: { dest: "{{ out }}/other-{{ tag }}", content: "other {{ web_port }}" }\n',
      'roles/web/defaults/main.yml': 'web_port: 80\n',
      // a file of tasks/ naming another by the playbook's folder (tests/tasks/cleanup.yml's way)
      'tasks/cleanup.yml': '- include_tasks: tasks/run.yml\n  vars: { tag: cleanup }\n',
      'tasks/run.yml': [
        '- include_role:',
        '    name: web',
        '    tasks_from: "{{ which | default(\'main\') }}"',
        '    public: "{{ make_public | default(false) }}"',
        '',
      ].join('\n'),
      'play.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - include_tasks: tasks/run.yml',
        '      vars: { tag: first }',
        '    - include_tasks: tasks/run.yml',
        '      vars: { tag: second, which: other, make_public: true }',
        '    - include_tasks: tasks/cleanup.yml',
        '',
      ].join('\n'),
    });
    const { out, same } = await bothRun(dir);
    const names = (d: string) => readdirSync(d).sort();
    expect(names(out.quorum)).toEqual(names(out.ansible));
    expect(names(out.quorum)).toEqual(['main-cleanup', 'main-first', 'other-second']);
    for (const f of names(out.quorum)) same(f);
  }, 60_000);
});

describe('a templated include that can name its own file', () => {
  it("runs the file it renders to, without reading itself again (nginxinc's install-{{ os_family }}.yml)", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'roles/web/tasks/main.yml': '- include_tasks: install-oss.yml\n',
      'roles/web/tasks/install-oss.yml':
        '- include_tasks: "{{ role_path }}/tasks/install-{{ flavor }}.yml"\n  when: flavor != "none"\n',
      'roles/web/tasks/install-debian.yml': '- copy: { dest: "{{ out }}/debian", content: "{{ flavor }}" }\n',
      'roles/web/tasks/install-redhat.yml': '- copy: { dest: "{{ out }}/redhat", content: "{{ flavor }}" }\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  vars: { flavor: debian }\n  roles: [web]\n',
    });
    const { out, run } = await bothRun(dir);
    expect(run.events.filter((e) => e.type === 'warning')).toEqual([]);
    expect(readdirSync(out.quorum)).toEqual(readdirSync(out.ansible));
    expect(readdirSync(out.quorum)).toEqual(['debian']);
  }, 60_000);
});
