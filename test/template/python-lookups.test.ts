/**
 * Python lookup plugins quorum has no lookup for (a playbook's and a role's lookup_plugins/, an
 * installed collection's by full name, ansible-core's own `config`), run with this machine's
 * ansible-core (2.19's here: PYTHONPATH), side by side with ansible-playbook 2.19: the same
 * values, keyword arguments, `errors=`, with_<name> loops, and a plugin's own error where the task
 * runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { validateCli } from '../helpers/run-local.ts';
import { runCli, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

beforeAll(() => {
  // the ansible-core whose plugin loader quorum uses: the oracle's own
  process.env.PYTHONPATH = ansibleCurrentSitePackages();
});

// a documented option (sep) and the host's variables, read as a plugin reads them
const KV = `DOCUMENTATION = """
name: kv
short_description: variables as key=value
options:
  _terms:
    description: variable names
  sep:
    description: between a name and its value
    type: str
    default: '='
"""
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        out = []
        for t in terms:
            if t not in variables:
                raise AnsibleLookupError('no variable %s' % t)
            out.append('%s%s%s' % (t, self.get_option('sep'), self._templar.template(variables[t])))
        return out
`;
const SHOUT = `from ansible.plugins.lookup import LookupBase

class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        return [str(t).upper() for t in terms]
`;

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars:
    greeting: hello
    whole: "{{ greeting }} world"
  roles: [loud]
  tasks:
    - name: lookups of the playbook, the role's, a collection's and ansible-core's
      copy:
        dest: ${out}/out.txt
        content: |
          {{ lookup('kv', 'greeting', 'whole') }}
          {{ lookup('kv', 'greeting', sep=': ') }} {{ query('kv', 'greeting') }}
          {{ query('shout', 'x', 'y') }} {{ lookup('shout', 'z') }}
          {{ lookup('kv', 'nothing', errors='ignore') }} {{ query('kv', 'nothing', errors='ignore') }}
          {{ lookup('ansible.builtin.config', 'DEFAULT_TRANSPORT') }}
          {{ lookup('community.general.dependent', dict(a=[1, 2]), dict(b='[item.a + 10]')) }}
    - name: a loop of the role's lookup
      debug: { msg: "{{ item }}" }
      with_shout: [a, b]
      register: looped
    - name: what the loop gave
      copy: { dest: "${out}/loop.txt", content: "{{ looped.results | map(attribute='item') | list }}" }
    - name: a plugin's own error
      debug: { msg: "{{ lookup('kv', 'nothing') }}" }
      ignore_errors: true
`;

it('gives the values ansible-core 2.19 gives, and its errors where the task runs', async () => {
  const side = await sideBySide(
    play,
    {
      'lookup_plugins/kv.py': KV,
      'roles/loud/lookup_plugins/shout.py': SHOUT,
      'roles/loud/tasks/main.yml': `- name: in the role
  debug: { msg: "{{ lookup('shout', 'r') }}" }
`,
    },
    undefined,
    false,
    undefined,
    // through the CLI: its nine Python plugin calls block a run's event loop (each a Python start)
    runCli,
  );
  expect(sameStatuses(side)).toMatchObject({ "a plugin's own error": 'failed' });
  const text = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
  for (const f of ['out.txt', 'loop.txt']) expect(text(side.out.quorum, f)).toBe(text(side.out.ansible, f));
  expect(text(side.out.quorum, 'out.txt')).toBe(
    "greeting=hello,whole=hello world\ngreeting: hello ['greeting=hello']\n['X', 'Y'] Z\n []\nssh\n[{'a': 1, 'b': 11}, {'a': 2, 'b': 12}]\n",
  );
  expect(text(side.out.quorum, 'loop.txt')).toBe('["A", "B"]');
  const failed = side.run.events.find((e) => e.type === 'step' && e.status === 'failed') as {
    error?: { message?: string };
  };
  expect(failed.error?.message).toContain("The lookup plugin 'kv' failed: no variable nothing");
}, 120_000);

it('refuses a lookup no plugin has, and a with_ loop of none, before any host', () => {
  const files = { 'lookup_plugins/kv.py': KV };
  const r = validateCli(
    '- hosts: all\n  tasks:\n    - debug: { msg: "{{ lookup(\'whisper\', 1) }}" }\n',
    undefined,
    files,
  );
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/play\.yml:3:\d+: lookup "whisper" is not supported/);
  const loop = validateCli(
    '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      with_whisper: [1]\n',
    undefined,
    files,
  );
  expect(loop.code).not.toBe(0);
  expect(loop.stderr).toMatch(/play\.yml:4:\d+: with_whisper is not supported/);
  // a known plugin whose call fails on the controller's state: the task fails where it runs
  const known = validateCli(
    "- hosts: all\n  tasks:\n    - debug: { msg: \"{{ lookup('kv', 'nothing') }}\" }\n",
    undefined,
    files,
  );
  expect(known.code).toBe(0);
  expect(known.stderr).toMatch(
    /warning: .*play\.yml:3:\d+: The lookup plugin 'kv' failed: no variable nothing/,
  );
});
