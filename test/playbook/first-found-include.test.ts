/**
 * `include_tasks` over `with_first_found` in a role finds the candidates in the role's tasks/
 * folder, as ansible-core 2.19 does (the task file's own folder ends its search path:
 * Task.get_search_path); githubixx.wireguard picks its OS's setup file so, and quorum found none.
 */
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
