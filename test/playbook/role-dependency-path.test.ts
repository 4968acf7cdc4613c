/**
 * A role's dependency found beside the role, as ansible-core 2.19 looks for it: after the
 * playbook's roles/ and roles_path, in the folder that holds the dependent role, before the
 * playbook's own folder (RoleMetadata's current_role_path; kubespray's
 * `kubernetes-apps/policy_controller` depends on `policy_controller/calico` so).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  roles: [apps/policy]
`;

const files = {
  'roles/apps/policy/meta/main.yml': 'dependencies:\n  - role: policy/calico\n',
  'roles/apps/policy/tasks/main.yml': '- shell: echo policy >> {{ out }}/log\n',
  'roles/apps/policy/calico/tasks/main.yml': '- shell: echo calico >> {{ out }}/log\n',
};

it('finds a dependency in the folder of the role that needs it, as ansible-core 2.19', async () => {
  const { out, run, oracle } = await sideBySide(play, files);
  bothSucceeded({ run, oracle });
  const read = (d: string) => readFileSync(join(d, 'log'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  expect(read(out.quorum)).toBe('calico\npolicy\n');
}, 60_000);
