/**
 * Where a role's variables reach, and the role and vars files a task names, held to
 * ansible-core 2.19 side by side: the defaults and vars of the play's public roles (`roles:`,
 * `import_role`, `include_role` with `public: true`) reach the play's other tasks, a private
 * include's do not; `defaults_from`, `vars_from`, `handlers_from`, `rolespec_validate`;
 * `include_vars` of a folder (`dir`, `files_matching`, `ignore_files`, `ignore_unknown_extensions`,
 * `depth`) with what it registers, and its failure on a file of another extension.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, resultsTask, sideBySide, writtenResults } from '../helpers/side-by-side.ts';

const ROLES = {
  'roles/pub/defaults/main.yml': 'pub_default: from pub\nshared: pub default\n',
  'roles/pub/vars/main.yml': 'pub_var: from pub vars\n',
  'roles/pub/tasks/main.yml': '- debug: { msg: "pub {{ shared }}" }\n',
  'roles/imp/defaults/main.yml': 'imp_default: from imp\n',
  'roles/imp/tasks/main.yml': '- debug: { msg: imp }\n',
  'roles/alt/defaults/main.yml': 'd: main\n',
  'roles/alt/defaults/other.yml': 'd: other\n',
  'roles/alt/vars/main.yml': 'v: main\n',
  'roles/alt/vars/other.yml': 'v: other\n',
  'roles/alt/vars/extra/a.yml': 'a: 1\nshared_x: a\n',
  'roles/alt/vars/extra/b.yaml': 'b: 2\nshared_x: b\n',
  'roles/alt/vars/extra/deep/c.json': '{"c": 3}\n',
  'roles/alt/vars/extra/notes.txt': 'not vars\n',
  'roles/alt/tasks/main.yml':
    '- debug: { msg: "alt {{ d }} {{ v }}" }\n  notify: bye\n  changed_when: true\n',
  'roles/alt/handlers/main.yml': '- name: bye\n  debug: { msg: main handler }\n',
  'roles/alt/handlers/other.yml': '- name: bye\n  debug: { msg: other handler }\n',
  'roles/alt/meta/argument_specs.yml':
    'argument_specs:\n  main:\n    options:\n      needed: { type: str, required: true }\n',
};

const play = (d: string) => `
- hosts: all
  gather_facts: false
  roles: [pub]
  tasks:
    - name: public vars
      debug: { msg: "{{ pub_default }} / {{ pub_var }} / {{ imp_default }}" }
      register: r0
    - import_role: { name: imp }
    - include_role: { name: alt, defaults_from: other, vars_from: other, handlers_from: other, rolespec_validate: false }
    - name: private include
      debug: { msg: "{{ d | default('not visible') }}" }
      register: r1
    - include_role: { name: alt, public: true, rolespec_validate: false }
    - name: after a public include
      debug: { msg: "{{ d }} {{ v }}" }
      register: r2
    - name: a folder
      include_vars: { dir: roles/alt/vars/extra, ignore_unknown_extensions: true }
      register: r3
    - name: matching, depth 1
      include_vars: { dir: roles/alt/vars/extra, files_matching: '^a', depth: 1, name: only_a }
      register: r4
    - name: ignoring
      include_vars: { dir: roles/alt/vars/extra, ignore_files: ['\\.txt', 'b.yaml'] }
      register: r5
    - name: another extension
      include_vars: { dir: roles/alt/vars/extra }
      register: r6
      ignore_errors: true
    - name: what they set
      debug: { msg: "{{ [a, b, c, shared_x, only_a] }}" }
      register: r7
${resultsTask(`${d}/results.json`, 8, ['invocation'])}
`;

describe("roles' variables and the files a task names, as ansible-core 2.19", () => {
  it('gives the same values and statuses', async () => {
    const sides = await sideBySide(play, ROLES);
    expect([sides.run.code, sides.oracle.code]).toEqual([0, 0]);
    // ansible-playbook's handler runs are not TASK lines: the handler is checked below
    const mine = Object.fromEntries(steps(sides.run).map((x) => [x.task, x.status]));
    const { 'alt : bye': bye, ...tasks } = mine;
    expect(tasks).toEqual(ansibleStatuses(sides.oracle.stdout));
    expect(bye).toBe('ok');
    // the action's failure: 2.19's msg is "Action failed: Unknown error.", quorum keeps the reason
    // there too; both carry it as `message`
    const [r, theirs] = [sides.out.quorum, sides.out.ansible].map((d) => {
      const all = writtenResults(join(d, 'results.json'), d);
      delete all[6].msg;
      return all;
    });
    expect(r).toEqual(theirs);
    expect(r[0].msg).toBe('from pub / from pub vars / from imp');
    expect(r[1].msg).toBe('not visible');
    expect(r[2].msg).toBe('main main');
    expect((r[3].ansible_included_var_files as string[]).map((f) => f.replace(/.*extra\//, ''))).toEqual([
      'a.yml',
      'b.yaml',
      'deep/c.json',
    ]);
    expect(r[4].ansible_facts).toEqual({ only_a: { a: 1, shared_x: 'a' } });
    expect(r[6]).toMatchObject({
      failed: true,
      message: expect.stringContaining('notes.txt does not have a valid extension'),
    });
    expect(r[7].msg).toEqual([1, 2, 3, 'a', { a: 1, shared_x: 'a' }]);
    // two uses of the role notify `bye`: the handler 2.19 runs (once) is the one quorum runs
    const theirsRan = [
      ...sides.oracle.stdout.matchAll(/RUNNING HANDLER[^\n]*\nok: \[h1\] => \{\n\s*"msg": "([^"]*)"/g),
    ];
    const mineRan = steps(sides.run).filter((x) => x.task === 'alt : bye');
    expect(mineRan.map((x) => x.message)).toEqual(theirsRan.map((m) => m[1]));
  });

  it('handlers_from: the handler of the named file runs', async () => {
    const one = () => `
- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: alt, handlers_from: other, rolespec_validate: false }
`;
    const sides = await sideBySide(one, ROLES);
    expect([sides.run.code, sides.oracle.code]).toEqual([0, 0]);
    expect(sides.oracle.stdout).toContain('"msg": "other handler"');
    expect(sides.oracle.stdout).toContain('RUNNING HANDLER [alt : bye]');
    expect(steps(sides.run).find((x) => x.task === 'alt : bye')?.message).toBe('other handler');
  });
});
