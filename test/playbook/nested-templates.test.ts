/**
 * A variable whose value holds templates deeper inside it (a role default listing
 * `'{{ other_default }}'`, a dict whose values are templates) is rendered through and through
 * where a task names it alone (`{{ var }}`), as ansible-core 2.19 renders it: debops' nginx
 * role loops `with_subelements` over such a list, and quorum handed the loop the unrendered
 * text ("the key users should point to a list, got '{{ nginx_http_auth_users }}'").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const DEFAULTS = `auth_users: []
auth_name: secret
auth_file:
  name: '{{ auth_name }}'
  users: '{{ auth_users }}'
default_files:
  - '{{ auth_file }}'
more_files:
  - name: other
    users: [u1, '{{ auth_name }}']
`;

const TASKS = (out: string) => `- name: the list alone
  copy: { dest: "${out}/alone.json", content: "{{ default_files | to_json }}" }
- name: the list in a sum, as debops writes it
  copy: { dest: "${out}/sum.json", content: "{{ (default_files + more_files + extra_files | d([])) | to_json }}" }
- name: the dict alone
  copy: { dest: "${out}/dict.json", content: "{{ auth_file | to_json }}" }
- name: a loop over the subelements
  debug: { msg: "{{ item.0.name }} {{ item.1 }}" }
  with_subelements:
    - '{{ default_files + more_files }}'
    - users
  register: pairs
- name: what the loop saw
  copy: { dest: "${out}/pairs.json", content: "{{ pairs.results | map(attribute='msg') | list | to_json }}" }
`;

it('a role default holding templates inside a list or dict renders through, as 2.19 does', async () => {
  const side = await sideBySide(
    (out) => `- hosts: all\n  gather_facts: false\n  roles: [{ role: nested, out: "${out}" }]\n`,
    {
      'roles/nested/defaults/main.yml': DEFAULTS,
      'roles/nested/tasks/main.yml': TASKS('{{ out }}'),
    },
  );
  expect(side.oracle.code, side.oracle.stdout).toBe(0);
  expect(Object.values(sameStatuses(side))).not.toContain('failed');
  const text = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
  for (const f of ['alone.json', 'sum.json', 'dict.json', 'pairs.json'])
    expect(text(side.out.quorum, f), f).toBe(text(side.out.ansible, f));
  expect(JSON.parse(text(side.out.quorum, 'alone.json'))).toEqual([{ name: 'secret', users: [] }]);
  expect(JSON.parse(text(side.out.quorum, 'pairs.json'))).toEqual(['other u1', 'other secret']);
}, 120_000);
