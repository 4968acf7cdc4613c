/**
 * Roles of installed collections, by their full names (prometheus.prometheus.node_exporter,
 * devsec.hardening.os_hardening), held to ansible-core 2.19 side by side: a collection beside
 * the playbook (collections/ansible_collections/NS/COLL/roles/ROLE) found as Ansible finds it,
 * its roles including each other by full name, role_name as the role's own name and
 * ansible_role_name as the full one, ansible_collection_name and ansible_parent_role_names, an
 * included role's template found in the role that includes it (a task's search path), `with_community.general.flattened` (dev-sec's loops), and an
 * include_role under a condition whose file holds a module quorum lacks: skipped where the
 * condition is false, as Ansible skips it (quorum refused the whole play).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import { sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const ROLES = 'collections/ansible_collections/acme/tools/roles';

const FILES: Record<string, string> = {
  [`${ROLES}/web/defaults/main.yml`]: 'web_paths: [[/a, /b], /c]\nselinux_on: false\n',
  [`${ROLES}/web/tasks/main.yml`]: `
- include_role:
    name: acme.tools._common
    tasks_from: install.yml
  vars: { _common_name: web }
- include_role:
    name: acme.tools._common
    tasks_from: selinux.yml
  when: selinux_on | bool
- include_role:
    name: acme.tools._common
    tasks_from: configure.yml
  vars: { _common_name: web }
- set_fact: { web_names: "{{ [role_name, ansible_role_name, ansible_collection_name] }}" }
- debug: { msg: "{{ item }}" }
  with_community.general.flattened:
    - "{{ web_paths }}"
  register: flat
`,
  [`${ROLES}/_common/tasks/install.yml`]:
    '- set_fact: { common_names: "{{ [role_name, ansible_role_name, _common_name, ansible_parent_role_names, ansible_collection_name] }}" }\n',
  // a template of the including role, found from the included one's task (its search path)
  [`${ROLES}/web/templates/web.conf.j2`]: 'name={{ _common_name }}\n',
  [`${ROLES}/_common/tasks/configure.yml`]:
    '- template: { src: "{{ _common_name }}.conf.j2", dest: "{{ out_dir }}/web.conf" }\n',
  [`${ROLES}/_common/tasks/selinux.yml`]:
    '- community.general.seport: { ports: "8080", proto: tcp, setype: http_port_t, state: present }\n',
};

it("runs a collection's roles by their full names, as ansible-core 2.19 does", async () => {
  const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars: { out_dir: ${d} }
  roles:
    - acme.tools.web
  post_tasks:
    - copy:
        dest: ${d}/results.json
        content: "{{ [web_names, common_names, flat.results | map(attribute='item') | list] | to_json }}"
`;
  const sides = await sideBySide(play, FILES);
  sameStatuses(sides);
  const conf = (d: string) => readFileSync(join(d, 'web.conf'), 'utf8');
  expect(conf(sides.out.quorum)).toBe(conf(sides.out.ansible));
  expect(conf(sides.out.quorum)).toBe('name=web\n');
  expect(sameResults(sides.out)).toEqual([
    ['web', 'acme.tools.web', 'acme.tools'],
    ['_common', 'acme.tools._common', 'web', ['acme.tools.web'], 'acme.tools'],
    ['/a', '/b', '/c'],
  ]);
});

it('warns before the run of a role it includes under a condition that holds a module quorum lacks', () => {
  const r = validateCli(
    '- hosts: all\n  gather_facts: false\n  roles: [acme.tools.web]\n',
    'h1 ansible_connection=local\n',
    FILES,
  );
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/selinux\.yml:1:\d+: unknown module or task keyword "community\.general\.seport"/);
});

// debops' roles (debops.debops.sshd ...) import their helpers by short name: `import_role: name:
// ansible_plugins`, and list dependencies the same way. ansible-core looks such a name up in the
// collection search list first (the role's own collection, its meta `collections`; a play's
// `collections` for its `roles:` and its own tasks), then in the roles path (RoleDefinition
// _load_role_path). A role of the same name in the roles path loses to the collection's.
const SHORT: Record<string, string> = {
  'collections/ansible_collections/acme/kit/roles/app/meta/main.yml': 'dependencies: [base]\n',
  'collections/ansible_collections/acme/kit/roles/app/tasks/main.yml': `
- import_role: { name: helper }
- include_role: { name: helper, tasks_from: other.yml }
- set_fact:
    app_names: "{{ [role_name, ansible_role_name, ansible_collection_name, helper_names, other_names] }}"
`,
  'collections/ansible_collections/acme/kit/roles/base/tasks/main.yml':
    '- set_fact: { base_names: "{{ [ansible_role_name, ansible_parent_role_names | default([])] }}" }\n',
  'collections/ansible_collections/acme/kit/roles/helper/tasks/main.yml':
    '- set_fact: { helper_names: "{{ [ansible_role_name, ansible_parent_role_names | default([])] }}" }\n',
  'collections/ansible_collections/acme/kit/roles/helper/tasks/other.yml':
    '- set_fact: { other_names: "{{ [ansible_role_name, ansible_parent_role_names | default([])] }}" }\n',
  // the roles path has a helper too: the collection's wins where the search list names it
  'roles/helper/tasks/main.yml': '- set_fact: { helper_names: from the roles path }\n',
  'roles/helper/tasks/other.yml': '- set_fact: { other_names: from the roles path }\n',
  'roles/plain/tasks/main.yml': '- import_role: { name: helper }\n',
};

it('finds a role named by its short name in the collection search list first, as ansible-core 2.19', async () => {
  const play = (d: string) => `
- hosts: all
  gather_facts: false
  collections: [acme.kit]
  roles: [app]
  tasks:
    - include_role: { name: helper, tasks_from: other.yml }
    - set_fact: { play_other: "{{ other_names }}" }
- hosts: all
  gather_facts: false
  roles: [plain]
  post_tasks:
    - copy:
        dest: ${d}/results.json
        content: "{{ [app_names, base_names, play_other, helper_names] | to_json }}"
`;
  const sides = await sideBySide(play, SHORT);
  sameStatuses(sides);
  expect(sameResults(sides.out)).toEqual([
    [
      'app',
      'acme.kit.app',
      'acme.kit',
      ['acme.kit.helper', ['acme.kit.app']],
      ['acme.kit.helper', ['acme.kit.app']],
    ],
    ['acme.kit.base', []],
    ['acme.kit.helper', []],
    'from the roles path',
  ]);
});
