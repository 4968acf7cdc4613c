/**
 * Python filter plugins quorum has no filter for (a playbook's and a role's filter_plugins/, an
 * installed collection's by full name), run with this machine's ansible-core (2.19's here:
 * PYTHONPATH), side by side with ansible-playbook 2.19: the same values, keyword arguments, the
 * order of a dict's keys as written, and a plugin's own error where the task runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { validateCli } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

beforeAll(() => {
  // the ansible-core whose module_utils and Python plugins quorum uses: the oracle's own
  process.env.PYTHONPATH = ansibleCurrentSitePackages();
});

const PLAYBOOK_FILTERS = `from ansible.errors import AnsibleFilterError

def shout(value, times=1, suffix='!'):
    if not isinstance(value, str):
        raise AnsibleFilterError('shout wants text, got %s' % type(value).__name__)
    return (value.upper() + suffix) * times

def pairs(d):
    return [(k, v) for k, v in d.items()]

class FilterModule(object):
    def filters(self):
        # a plugin's short name goes over ansible-core's own filter of that name
        return {'shout': shout, 'pairs': pairs, 'to_json': lambda v: 'the plugin of the playbook'}
`;
const ROLE_FILTERS = `class FilterModule(object):
    def filters(self):
        return {'initials': lambda names, sep='': sep.join(n[0] for n in names)}
`;

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars:
    d: { b: 1, a: 2 }
    people: [ada, bob]
  roles: [team]
  tasks:
    - name: filters of the playbook, the role's and a collection's
      copy:
        dest: ${out}/out.txt
        content: |
          {{ 'hi' | shout }} {{ 'hi' | shout(2, suffix='?') }} {{ d | pairs }}
          {{ people | initials('-') }} {{ d | to_json }}
          {{ [{'a': 1, 'b': 2}] | community.general.remove_keys(target=['a']) }}
    - name: a count
      command: echo 2
      register: count
      changed_when: false
    - name: a plugin's own error
      debug: { msg: "{{ count.stdout | int | shout }}" }
      ignore_errors: true
`;

it('gives the values ansible-core 2.19 gives, and its errors where the task runs', async () => {
  const side = await sideBySide(play, {
    'filter_plugins/mine.py': PLAYBOOK_FILTERS,
    'roles/team/filter_plugins/names.py': ROLE_FILTERS,
    'roles/team/tasks/main.yml': `- name: in the role
  debug: { msg: "{{ people | initials }}" }
`,
  });
  expect(sameStatuses(side)).toMatchObject({ "a plugin's own error": 'failed' });
  const text = (d: string) => readFileSync(join(d, 'out.txt'), 'utf8');
  expect(text(side.out.quorum)).toBe(text(side.out.ansible));
  expect(text(side.out.quorum)).toBe(
    `HI! HI?HI? [['b', 1], ['a', 2]]\na-b the plugin of the playbook\n[{'b': 2}]\n`,
  );
  const failed = side.run.events.find((e) => e.type === 'step' && e.status === 'failed') as {
    error?: { message?: string };
  };
  expect(failed.error?.message).toContain('shout wants text, got int');
}, 120_000);

it('refuses a filter no plugin has, before any host', () => {
  const r = validateCli('- hosts: all\n  tasks:\n    - debug: { msg: "{{ 1 | whisper }}" }\n', undefined, {
    'filter_plugins/mine.py': PLAYBOOK_FILTERS,
  });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/play\.yml:3:\d+: unknown filter "whisper"/);
});

it("runs ansible-core's own filters quorum lacks, as 2.19, and refuses a whole float it cannot carry", async () => {
  const exprs =
    "{{ [1,2] | zip_longest([3], fillvalue=0) | list }} {{ 100 | log(3) }} {{ [1,2,3] | combinations(2) | list }} {{ 'a%20b' | urldecode }} {{ '/a/b/c' | relpath('/a') }} {{ [{'n': 'x', 'v': 1}] | rekey_on_member('n') }}";
  const side = await sideBySide(
    (out) =>
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { dest: ${out}/core.txt, content: "${exprs}" }\n`,
  );
  const text = (d: string) => readFileSync(join(d, 'core.txt'), 'utf8');
  expect(text(side.out.quorum)).toBe(text(side.out.ansible));
  expect(text(side.out.quorum)).toBe(
    "[[1, 3], [2, 0]] 4.19180654857877 [[1, 2], [1, 3], [2, 3]] a b b/c {'x': {'n': 'x', 'v': 1}}",
  );
  // 2.0 would print as 2 through quorum's engine: refused, not printed otherwise
  const r = validateCli('- hosts: all\n  tasks:\n    - debug: { msg: "{{ 100 | log(10) }}" }\n');
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(
    /play\.yml:3:\d+: the filter returned the float 2\.0, which quorum would print as 2/,
  );
}, 120_000);

it('runs Python test plugins (the playbook test_plugins/, a collection test by full name), as 2.19', async () => {
  const tests = `class TestModule(object):
    def tests(self):
        return {'shouting': lambda v, min=1: isinstance(v, str) and v.isupper() and len(v) >= min}
`;
  const side = await sideBySide(
    (out) => `- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: ${out}/tests.txt
        content: "{{ 'HI' is shouting }} {{ 'hi' is shouting }} {{ 'HI' is shouting(min=3) }} {{ ['a', 'b'] | select('shouting') | list }} {{ 'x' is not shouting }} {{ '10.1.2.3' is ansible.utils.in_network('10.0.0.0/8') }} {{ '192.168.1.1' is ansible.utils.private }}"
`,
    { 'test_plugins/mine.py': tests },
  );
  const text = (d: string) => readFileSync(join(d, 'tests.txt'), 'utf8');
  expect(text(side.out.quorum)).toBe(text(side.out.ansible));
  expect(text(side.out.quorum)).toBe('True False False [] True True True');
}, 120_000);
