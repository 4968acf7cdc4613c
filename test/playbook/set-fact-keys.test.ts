/**
 * set_fact with keys that are templates, held to ansible-core 2.19 side by side: dev-sec's
 * hardening roles set each key of an OS's vars file this way (`"{{ item.key }}": "{{ item.value }}"`
 * over `with_dict`, guarded by `lookup('varnames', ...)`), and a name that is no variable name
 * fails the task. quorum set the key as written, so the names were never defined.
 */
import { expect, it } from 'vitest';
import { sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

it('renders a key per item, as the action plugin does, and refuses a name that is none', async () => {
  const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars:
    os_vars: { auditd_package: auditd, sshd_service: ssh, given: from-os }
    given: from-user
  tasks:
    - set_fact:
        "{{ item.key }}": "{{ item.value }}"
      when: not lookup('varnames', '^' + item.key + '$')
      with_dict: "{{ os_vars }}"
    - set_fact: { "{{ 'pre' ~ '_' ~ 'fix' }}": 1 }
    - set_fact: { "{{ 'a-b' }}": 1 }
      register: bad
      ignore_errors: true
    - copy:
        dest: ${d}/results.json
        content: "{{ [auditd_package, sshd_service, given, pre_fix, bad.failed, bad.msg] | to_json }}"
`;
  const sides = await sideBySide(play);
  sameStatuses(sides);
  expect(sameResults(sides.out)).toEqual([
    'auditd',
    'ssh',
    'from-user',
    1,
    true,
    "Task failed: Invalid variable name 'a-b'.",
  ]);
});
