/**
 * include_role with a name that only a host can render (kubespray's
 * `"container-engine/{{ container_manager_role[container_manager] }}"`), held to ansible-core 2.19:
 * each host runs the role its variables name; a role no host names may hold what quorum lacks.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars: { out: "${out}" }
  tasks:
    - name: engine
      vars:
        pick: { first: a, second: b, third: c }
      include_role:
        name: "eng/{{ pick[kind] }}"
`;

const role = (n: string) =>
  `- name: ${n} says\n  copy: { content: "${n}\\n", dest: "{{ out }}/{{ inventory_hostname }}-${n}" }\n`;

describe('include_role with a templated name, as ansible-core 2.19', () => {
  it('runs on each host the role its variables name', async () => {
    const side = await sideBySide(play, {
      'hosts.ini': 'h1 ansible_connection=local kind=first\nh2 ansible_connection=local kind=second\n',
      'roles/eng/a/tasks/main.yml': role('a'),
      'roles/eng/b/tasks/main.yml': role('b'),
      'roles/eng/c/tasks/main.yml': '- name: c lacks\n  community.general.npm: { name: x }\n',
    });
    expect(side.oracle.code, side.oracle.stdout).toBe(0);
    expect(side.run.code).toBe(0);
    for (const host of ['h1', 'h2']) {
      const mine = Object.fromEntries(
        steps(side.run)
          .filter((s) => s.host === host)
          .map((s) => [s.task, s.status]),
      );
      expect([host, mine]).toEqual([host, ansibleStatuses(side.oracle.stdout, host)]);
    }
    expect(readdirSync(side.out.quorum).sort()).toEqual(['h1-a', 'h2-b']);
    expect(readdirSync(side.out.ansible).sort()).toEqual(['h1-a', 'h2-b']);
  });
});
