/**
 * An include whose file name a controller lookup makes from the role's folder: debops' roles
 * include their hooks as `include_tasks: '{{ lookup("debops.debops.task_src", "sshd/pre_main.yml") }}'`
 * (a Python lookup answering a path under role_path). quorum refused it ("an include's folder
 * cannot be a template"); the lookup is asked where the role is read, and the file it names is
 * run as ansible-core 2.19 runs it.
 */
import { expect, it } from 'vitest';
import { sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const FILES: Record<string, string> = {
  'lookup_plugins/task_src.py': `
import os
from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        out = []
        for term in terms:
            path = os.path.join(variables['role_path'], 'tasks', term)
            if not os.path.exists(path):
                raise AnsibleError('could not locate file in lookup: %s' % term)
            out.append(path)
        return out
`,
  'roles/app/tasks/main.yml': `
- name: Pre hooks
  include_tasks: '{{ lookup("task_src", "app/pre_main.yml") }}'
- set_fact: { main_ran: true }
- include_tasks: "{{ lookup('task_src', 'app/post_' ~ 'main.yml') }}"
`,
  'roles/app/tasks/app/pre_main.yml': '- set_fact: { pre: "{{ role_name }}" }\n',
  'roles/app/tasks/app/post_main.yml': '- set_fact: { post: "{{ main_ran }}" }\n',
};

it('includes the file a controller lookup names from the role folder, as ansible-core 2.19', async () => {
  const play = (d: string) => `
- hosts: all
  gather_facts: false
  roles: [app]
  post_tasks:
    - copy: { dest: ${d}/results.json, content: "{{ [pre, post] | to_json }}" }
`;
  const sides = await sideBySide(play, FILES);
  sameStatuses(sides);
  expect(sameResults(sides.out)).toEqual(['app', true]);
});
