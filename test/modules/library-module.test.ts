/**
 * Modules of the content's own (a role's and the playbook's library/), run through quorum and
 * through ansible-playbook 2.19 side by side: a Python module on AnsibleModule with a module_utils
 * of its role, its check mode and its facts, one without check mode, one that fails, and script
 * modules taking JSON or key=value words. quorum runs them with this machine's ansible-core
 * module_utils (2.19's here: PYTHONPATH), as Ansible ships them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleCurrent, ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import {
  ansibleStatuses,
  changedAgain,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
} from '../helpers/side-by-side.ts';

beforeAll(() => {
  // the ansible-core whose module_utils and Python plugins quorum uses: the oracle's own
  process.env.PYTHONPATH = ansibleCurrentSitePackages();
});

const PY_MODULE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.greeting import greet
import os

def main():
    m = AnsibleModule(
        argument_spec=dict(path=dict(type='path', required=True), content=dict(type='str', default=''),
                           token=dict(type='str', no_log=True), mode=dict(type='str', choices=['a', 'b'], default='a')),
        supports_check_mode=True)
    p = m.params['path']
    cur = open(p).read() if os.path.exists(p) else None
    changed = cur != m.params['content']
    if changed and not m.check_mode:
        with open(p, 'w') as f:
            f.write(m.params['content'])
    m.exit_json(changed=changed, greeting=greet(os.path.basename(p)), size=len(m.params['content']),
                flags=[True, None, 1.5], ansible_facts={'written_' + m.params['mode']: os.path.basename(p)})

main()
`;
const NO_CHECK_MODULE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(x=dict(type='int')))
m.exit_json(changed=False, x=m.params['x'])
`;
const FAILING_MODULE = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
m = AnsibleModule(argument_spec=dict(why=dict(type='str')), supports_check_mode=True)
m.fail_json(msg='refused: ' + str(m.params['why']), detail=[1, 2])
`;
const JSON_SCRIPT = `#!/bin/sh
# WANT_JSON
name=$(sed -n 's/.*"name": "\\([a-z]*\\)".*/\\1/p' "$1")
echo "noise before the answer"
echo "{\\"changed\\": false, \\"name\\": \\"$name\\"}"
`;
const OLD_SCRIPT = `#!/bin/sh
set -- $(cat "$1")
echo "{\\"changed\\": false, \\"first\\": \\"$1\\", \\"rc\\": 0}"
`;

const files = {
  'roles/own/library/own_file.py': PY_MODULE,
  'roles/own/module_utils/greeting.py': "def greet(name):\n    return 'hello ' + name\n",
  'roles/own/library/no_check.py': NO_CHECK_MODULE,
  'library/refuses.py': FAILING_MODULE,
  'library/json_script': JSON_SCRIPT,
  'library/old_script.sh': OLD_SCRIPT,
};

const ROLE_TASKS = `- name: a file written
  own_file: { path: "{{ out }}/one", content: "1", token: s3cr3t-token }
  register: r0
- name: the same, key=value words
  own_file: path={{ out }}/two content=22 mode=b
  register: r1
- name: a module without check mode
  ansible.legacy.no_check: { x: "7" }
  register: r2
`;

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  roles: [own]
  tasks:
    - name: a module that fails
      refuses: { why: "no" }
      register: r3
      ignore_errors: true
    - name: a script taking JSON
      json_script: { name: web }
      register: r4
    - name: a script taking words
      old_script: { first: one }
      register: r5
    - name: the facts it set
      debug: { msg: "{{ written_a }} {{ written_b }}" }
      register: r6
${resultsTask(`${out}/results.json`, 7, [])}
`;

describe('modules of the content own (library/), as ansible-core 2.19 runs them', () => {
  it('runs, registers, fails and sets facts as ansible-playbook does; a second run changes nothing, a check run runs the Python modules in check mode and predicts the scripts', async () => {
    const side = await sideBySide(play, { ...files, 'roles/own/tasks/main.yml': ROLE_TASKS });
    const statuses = sameStatuses(side);
    expect(statuses).toMatchObject({
      'own : a file written': 'changed',
      'own : the same, key=value words': 'changed',
      'a module that fails': 'failed',
      'a script taking JSON': 'ok',
    });
    const results = sameResults(side.out);
    expect(results[0]).toMatchObject({ changed: true, greeting: 'hello one', flags: [true, null, 1.5] });
    expect(results[3]).toMatchObject({ failed: true, msg: 'refused: no', detail: [1, 2] });
    expect(results[4]).toMatchObject({ name: 'web' });
    expect(results[5]).toMatchObject({ first: 'first=one' });
    expect(results[6]).toMatchObject({ msg: 'one two' });
    expect(readFileSync(join(side.out.quorum, 'two'), 'utf8')).toBe('22');
    // the no_log parameter's value is in no event
    expect(JSON.stringify(side.run.events)).not.toContain('s3cr3t-token');

    expect(await changedAgain(side.dir)).toEqual([]);
    // a check run on what the run left: the Python modules answer in their check mode (nothing to
    // change; the one without check mode skipped, the failing one failing); the scripts, which
    // nothing holds to check mode, are not run and stay predicted
    const check = await runLocal(side.dir, { check: true });
    const byTask = Object.fromEntries(steps(check).map((s) => [s.task, s.status]));
    expect(byTask).toMatchObject({
      'own : a file written': 'ok',
      'own : the same, key=value words': 'ok',
      'own : a module without check mode': 'skipped',
      'a module that fails': 'failed',
      'a script taking JSON': 'would_change',
      'a script taking words': 'would_change',
    });
  }, 240_000);

  it('a check run runs a Python module in its check mode, and skips one without it, as ansible-playbook --check', async () => {
    const dir = workspace();
    const outs = { quorum: join(dir, 'q'), ansible: join(dir, 'a') };
    const playOf = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: would write
      own_file: { path: ${out}/never, content: x }
      register: w
    - name: no check mode
      no_check: { x: 1 }
    - name: what check mode registered
      debug: { msg: "{{ w.changed }} {{ w.greeting }} {{ written_a }}" }
`;
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'library/own_file.py': PY_MODULE,
      'library/no_check.py': NO_CHECK_MODULE,
      'module_utils/greeting.py': "def greet(name):\n    return 'hello ' + name\n",
      'play.yml': playOf(outs.quorum),
      'ansible.yml': playOf(outs.ansible),
    });
    const [mine, theirs] = await Promise.all([
      runLocal(dir, { check: true }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', '--check'], dir),
    ]);
    expect(theirs.code, theirs.stdout).toBe(0);
    const byTask = Object.fromEntries(steps(mine).map((s) => [s.task, s.status]));
    const theirsByTask = ansibleStatuses(theirs.stdout);
    expect(theirsByTask).toEqual({
      'would write': 'changed',
      'no check mode': 'skipped',
      'what check mode registered': 'ok',
    });
    expect(byTask).toEqual({
      'would write': 'would_change',
      'no check mode': 'skipped',
      'what check mode registered': 'ok',
    });
    const said = steps(mine).find((s) => s.task === 'what check mode registered');
    expect(JSON.stringify(said)).toContain('True hello never never');
    expect(theirs.stdout).toContain('True hello never never');
    expect(() => readFileSync(join(outs.quorum, 'never'))).toThrow();
  }, 120_000);

  it("refuses quorum's own task form for these (library_module) written by hand", () => {
    const r = validateCli('- hosts: all\n  tasks:\n    - library_module: { name: x, path: /bin/true }\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: unknown module or task keyword "library_module"/);
  });

  it('validate refuses a module of a form quorum does not run, with its file, before any host', () => {
    const r = validateCli('- hosts: all\n  tasks:\n    - binary_thing: { a: 1 }\n', undefined, {
      'library/binary_thing': '\u0000\u0001ELF',
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/library\/binary_thing: a binary module/);
  });
});

describe('modules quorum lacks, as ansible-core or an installed collection has them', () => {
  const collected = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: a file of a size
      community.general.filesize: { path: "${out}/f1", size: 10KB }
      register: r0
    - name: a csv
      copy: { content: "name,uid\\nalice,1\\nbob,2\\n", dest: "${out}/u.csv" }
    - name: read with its collection's module_utils
      community.general.read_csv: { path: "${out}/u.csv", key: name }
      register: r1
    - name: an ansible-core module quorum lacks
      ansible.builtin.mount_facts: { fstypes: [proc, sysfs] }
      register: r2
${resultsTask(`${out}/results.json`, 3, ['stderr', 'stderr_lines'])}
`;

  it('runs them from where ansible-core finds them, registers the same, and a second run and a check run change nothing', async () => {
    const side = await sideBySide(collected);
    const statuses = sameStatuses(side);
    expect(statuses).toMatchObject({
      'a file of a size': 'changed',
      "read with its collection's module_utils": 'ok',
      'an ansible-core module quorum lacks': 'ok',
    });
    const results = sameResults(side.out);
    expect(results[0]).toMatchObject({ size: 10000, changed: true, diff: { after: { size: 10000 } } });
    expect(results[1]).toMatchObject({ dict: { alice: { uid: '1' }, bob: { uid: '2' } } });
    expect(Object.keys(results[2].ansible_facts as object).sort()).toEqual([
      'aggregate_mounts',
      'mount_points',
    ]);
    expect(await changedAgain(side.dir)).toEqual([]);
    const check = await runLocal(side.dir, { check: true });
    expect(steps(check).filter((s) => s.status !== 'ok' && s.task !== 'results')).toEqual([]);
  }, 240_000);

  it('finds a short name ansible-core redirects to a collection, and gives such a module its module_defaults, as 2.19', async () => {
    const side = await sideBySide(
      (out) => `- hosts: all
  gather_facts: false
  module_defaults:
    community.general.filesize: { size: 3KB }
  tasks:
    - name: sized by the play's defaults
      community.general.filesize: { path: "${out}/f2" }
      register: r0
    - name: a csv
      copy: { content: "name,uid\\nada,7\\n", dest: "${out}/v.csv" }
    - name: a short name ansible-core redirects
      read_csv: { path: "${out}/v.csv", key: name }
      register: r1
${resultsTask(`${out}/results.json`, 2, ['stderr', 'stderr_lines'])}
`,
    );
    expect(sameStatuses(side)).toMatchObject({
      "sized by the play's defaults": 'changed',
      'a short name ansible-core redirects': 'ok',
    });
    const results = sameResults(side.out);
    expect(results[0]).toMatchObject({ size: 3000, changed: true });
    expect(results[1]).toMatchObject({ dict: { ada: { uid: '7' } } });
  }, 120_000);

  it('an apply run with --diff shows the diff the module answered, as ansible-playbook --diff prints it', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: sized\n      community.general.filesize: { path: ${dir}/f, size: 2KB }\n`,
    });
    const r = quorum(['play', 'play.yml', '-i', 'hosts.ini', '--diff', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const step = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((e) => e.type === 'step' && e.task === 'sized');
    expect(step.status).toBe('changed');
    expect(step.changes[0].diff).toMatchObject({
      before: '{\n    "size": null\n}\n',
      after: '{\n    "size": 2000\n}\n',
    });
  });

  it.each([
    [
      'one its collection removed',
      'community.general.ali_instance_facts: {}',
      /was removed from community\.general: Use community\.general\.ali_instance_info instead/,
    ],
  ])('refuses %s with its place, before any host', (_name, task, message) => {
    const r = validateCli(`- hosts: all\n  tasks:\n    - ${task}\n`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: /);
    expect(r.stderr).toMatch(message);
  });
});

it("finds a module in ansible.cfg's library folder, after the playbook's, as ansible-core 2.19", async () => {
  const dir = workspace();
  const module = (says: string) =>
    `#!/usr/bin/python\nfrom ansible.module_utils.basic import AnsibleModule\nm = AnsibleModule(argument_spec={}, supports_check_mode=True)\nm.exit_json(changed=False, says='${says}')\n`;
  writeFiles(dir, {
    'ansible.cfg': '[defaults]\nlibrary = ./mods\n',
    'hosts.ini': 'h1 ansible_connection=local\n',
    'mods/where.py': module('mods'),
    'mods/shadowed.py': module('mods'),
    'playbooks/library/shadowed.py': module('playbook'),
    'playbooks/play.yml': `- hosts: all
  gather_facts: false
  tasks:
    - where: {}
      register: a
    - shadowed: {}
      register: b
    - debug: { msg: "said {{ a.says }} {{ b.says }}" }
`,
  });
  const mine = quorum(['play', 'playbooks/play.yml', '-i', 'hosts.ini'], { cwd: dir });
  const theirs = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'playbooks/play.yml'], dir);
  expect(theirs.stdout).toContain('said mods playbook');
  expect(mine.code, mine.stderr).toBe(0);
  expect(mine.stdout).toContain('said mods playbook');
}, 120_000);

it("takes a short module name from the play's collections and from a role's own collection, as ansible-core 2.19", async () => {
  const hello = `#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule
from ansible_collections.acme.tools.plugins.module_utils.words import word
m = AnsibleModule(argument_spec=dict(to=dict(type='str')), supports_check_mode=True)
m.exit_json(changed=False, said=word() + ' ' + m.params['to'])
`;
  const play = (out: string) => `- hosts: all
  gather_facts: false
  collections: [community.general]
  tasks:
    - name: a short name of the play's collections
      filesize: { path: "${out}/f", size: 1KB }
      register: r0
    - name: the role
      include_role: { name: acme.tools.greeter }
${resultsTask(`${out}/results.json`, 2, ['stderr', 'stderr_lines'])}
`;
  const side = await sideBySide(play, {
    'collections/ansible_collections/acme/tools/galaxy.yml': 'namespace: acme\nname: tools\nversion: 1.0.0\n',
    'collections/ansible_collections/acme/tools/plugins/modules/hello.py': hello,
    'collections/ansible_collections/acme/tools/plugins/module_utils/words.py':
      "def word():\n    return 'hello'\n",
    'collections/ansible_collections/acme/tools/roles/greeter/tasks/main.yml':
      '- name: a short name of its own collection\n  hello: { to: world }\n  register: r1\n',
  });
  sameStatuses(side);
  const results = sameResults(side.out);
  expect(results[0]).toMatchObject({ size: 1000, changed: true });
  expect(results[1]).toMatchObject({ said: 'hello world', changed: false });
}, 120_000);
