/**
 * module_defaults by an action group (`group/NS.COLL.GROUP`, listed under action_groups in the
 * collection's meta/runtime.yml), as ansible-core 2.19 lays them: the group's defaults under a
 * module's own, a task's parameters over both, an inner level's entry replacing the outer one
 * whole (quorum merged the levels parameter by parameter) (community.grafana's role sets its API's url and
 * credentials this way; quorum refused every action group). A collection of the test's own,
 * beside the playbook, where both engines find it; its module runs through ansible-core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

beforeAll(() => {
  // the ansible-core quorum runs a collection's module with: the oracle's own
  process.env.PYTHONPATH = ansibleCurrentSitePackages();
});

const COLLECTION = 'collections/ansible_collections/qtest/grp';
const ECHO = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule

def main():
    m = AnsibleModule(argument_spec=dict(greeting=dict(type='str', default='none'),
                                         name=dict(type='str', default='none'),
                                         level=dict(type='str', default='none')),
                      supports_check_mode=True)
    m.exit_json(changed=False, said='%s %s %s' % (m.params['greeting'], m.params['name'], m.params['level']))

main()
`;

const play = (out: string) => `
- hosts: all
  gather_facts: false
  module_defaults:
    qtest.grp.echo: { level: module }
    group/qtest.grp.all: { greeting: hello, level: group }
  tasks:
    - name: defaults of the group and of the module
      qtest.grp.echo: { name: one }
      register: a
    - name: a block's group defaults
      module_defaults:
        group/qtest.grp.all: { name: block }
      block:
        - name: in the block
          qtest.grp.echo: {}
          register: b
    - name: what they said
      copy: { dest: "${out}/said", content: "{{ [a.said, b.said] | to_json }}" }
`;

it("lays an action group's defaults under the module's own, as ansible-core 2.19", async () => {
  const { out, run, oracle } = await sideBySide(play, {
    [`${COLLECTION}/galaxy.yml`]: 'namespace: qtest\nname: grp\nversion: 1.0.0\n',
    [`${COLLECTION}/meta/runtime.yml`]: 'requires_ansible: ">=2.15"\naction_groups:\n  all:\n    - echo\n',
    [`${COLLECTION}/plugins/modules/echo.py`]: ECHO,
  });
  bothSucceeded({ run, oracle });
  const read = (d: string) => readFileSync(join(d, 'said'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  // the block's group entry replaces the play's whole (greeting gone), the module's stays
  expect(JSON.parse(read(out.quorum))).toEqual(['hello one module', 'none block module']);
}, 90_000);
