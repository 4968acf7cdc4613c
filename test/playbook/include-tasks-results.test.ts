/**
 * include_tasks as ansible-core 2.19 runs it in two details real roles lean on: over
 * `with_first_found` in a role, the candidates are found in the role's tasks/ folder (the task
 * file's own folder ends its search path: Task.get_search_path; githubixx.wireguard picks its
 * OS's setup file so, and quorum found none), and its `register` holds 2.19's result (the file,
 * the other arguments; skipped; per item of a loop, registered before the included tasks run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

it("a role's include_tasks with_first_found finds its tasks/ files, as 2.19", async () => {
  const side = await sideBySide(() => '- hosts: all\n  gather_facts: false\n  roles: [r]\n', {
    'roles/r/tasks/main.yml': `- name: the OS's setup
  include_tasks: "{{ item }}"
  with_first_found:
    - "setup-{{ os_name | default('plan9') }}.yml"
    - setup-default.yml
`,
    'roles/r/tasks/setup-default.yml': '- name: default setup\n  debug: { msg: default }\n',
    'roles/r/tasks/setup-plan8.yml': '- name: plan8 setup\n  debug: { msg: plan8 }\n',
  });
  expect(sameStatuses(side)).toEqual({ "r : the OS's setup": 'ok', 'r : default setup': 'ok' });
});

it("an include_tasks' register holds what 2.19's holds: run, skipped, and per item of a loop", async () => {
  const side = await sideBySide(
    (out) => `- hosts: all
  gather_facts: false
  tasks:
    - name: with apply
      include_tasks: { file: inc.yml, apply: { tags: [x] } }
      register: ran
    - name: looped
      include_tasks: inc.yml
      loop: [1, 2]
      when: item == 2
      register: looped
    - name: skipped
      include_tasks: inc.yml
      when: false
      register: skipped_include
    - name: what was registered
      copy:
        dest: ${out}/registered.json
        content: "{{ {'ran': ran, 'looped': looped, 'skipped': skipped_include} | to_nice_json }}"
`,
    { 'inc.yml': '- name: inner\n  debug: { msg: "{{ looped is defined }}" }\n' },
  );
  expect(sameStatuses(side)).toMatchObject({ 'what was registered': 'changed' });
  const read = (d: string) => readFileSync(join(d, 'registered.json'), 'utf8');
  expect(read(side.out.quorum)).toBe(read(side.out.ansible));
  expect(JSON.parse(read(side.out.quorum)).looped.results[1]).toMatchObject({ include: 'inc.yml', item: 2 });
});
