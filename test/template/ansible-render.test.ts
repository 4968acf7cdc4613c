/**
 * Template files quorum's engine cannot run (in-place calls on lists and dicts in shapes
 * mutations.ts does not rewrite, as debops' templates write them) are rendered by the installed
 * ansible-core's templar (src/template/jinja/ansible-render.ts), side by side with
 * ansible-playbook 2.19 on the written files; in check mode a value known only after apply
 * makes the text a prediction, a secret stays out of the output, and without ansible-core such a
 * file is refused before the run with its place.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ansibleCurrent, ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { quorumAsync } from '../helpers/cli.ts';
import { playArgs, workspace, writeFiles } from '../helpers/run-local.ts';
import { runCli, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const FILES: Record<string, string> = {
  // debops unattended_upgrades' shape: a macro appends to the list its caller hands it, recursively
  'roles/r/templates/macros.j2': `{% macro collect(items, into) %}
{% for i in items %}
{%   if i is string %}
{%     set _ = into.append(i) %}
{%   else %}
{%     set _ = collect(i, into) %}
{%   endif %}
{% endfor %}
{% endmacro %}
`,
  'roles/r/templates/main.j2': `{% import 'macros.j2' as m with context %}
{% set found = [] %}
{% set _ = m.collect(origins, found) %}
origins: {{ found | join(', ') }}
{% set last = [] %}
{% for d in domains %}
{%   if d.endswith('.test') %}
{%     if last %}{% set _ = last.pop() %}{% endif %}
{%     set _ = last.append(d) %}
{%   endif %}
{% endfor %}
last: {{ last }}
{% set rules = {} %}
{% for r in rule_list %}
{%   set one = {} %}
{%   for k in r.keys() | sort %}{% set _ = one.update({k: r[k]}) %}{% endfor %}
{%   set _ = rules.update({r.name: one}) %}
{% endfor %}
{{ rules | to_nice_yaml }}
{% macro root() %}{% block root %}root {{ site }};{% endblock %}{% endmacro %}
{{ root() }}
`,
  'roles/r/tasks/main.yml': `- name: render
  template: { src: main.j2, dest: "{{ out }}/main.txt" }
- name: through a lookup
  copy: { dest: "{{ out }}/lookup.txt", content: "{{ lookup('template', 'main.j2') }}" }
`,
};

const PLAY = (out: string) => `- hosts: all
  gather_facts: false
  vars:
    site: lab
    origins: [a, [b, [c]], d]
    domains: [x.test, y.example, z.test]
    rule_list: [{ name: ssh, port: 22, proto: tcp }, { name: web, port: 80 }]
  roles: [{ role: r, out: "${out}" }]
`;

/** quorum's side with ansible-core 2.19 as the installed one: the templar it renders with is the user's. */
const with219 = (dir: string) =>
  runCli(dir, { QUORUM_ANSIBLE_PYTHON: 'python3', PYTHONPATH: ansibleCurrentSitePackages() });

it('renders what the engine cannot run as 2.19 does (with 2.19 installed)', async () => {
  const side = await sideBySide(PLAY, FILES, undefined, false, undefined, with219);
  expect(sameStatuses(side)).toEqual({ 'r : render': 'changed', 'r : through a lookup': 'changed' });
  const text = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
  for (const f of ['main.txt', 'lookup.txt'])
    expect(text(side.out.quorum, f), f).toBe(text(side.out.ansible, f));
  const main = text(side.out.quorum, 'main.txt');
  // 2.19 hands a macro a copy of a list: its appends stay inside (2.14's templar gives 'a, b, c, d')
  expect(main).toContain('origins: \n');
  expect(main).toContain("last: ['z.test']");
  expect(main).toContain('root lab;');
}, 120_000);

it('predicts the text from a value known after apply, and keeps a secret out of the output', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'pass.txt': 'correct horse\n',
    ...FILES,
    'roles/r/tasks/main.yml': `- name: known after apply
  command: echo b
  register: got
  changed_when: false
- name: render
  template: { src: main.j2, dest: "${dir}/main.txt" }
  vars: { origins: ["{{ got.stdout }}"] }
`,
    'play.yml': PLAY(dir),
  });
  const check = await quorumAsync([...playArgs(dir, '--json'), '--check', '--diff']);
  expect(check.code, check.stderr).toBe(0);
  const render = check.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((e) => e.type === 'step' && e.task === 'r : render');
  // the render step itself is the prediction: its content is known after apply
  expect(render?.status).toBe('would_change');
  expect(render?.unpredictable).toBe(true);
  expect(JSON.stringify(render?.changes)).toContain('content known after apply');

  // a vaulted value the template prints: in the file, never in the output (the diff included)
  const secret = 'v4ulted-site-name';
  const vaulted = await ansibleCurrent(
    'ansible-vault',
    ['encrypt_string', '--vault-password-file', 'pass.txt', secret, '--name', 'site'],
    dir,
  );
  expect(vaulted.code, vaulted.stderr).toBe(0);
  writeFiles(dir, {
    'roles/r/tasks/main.yml': `- name: render
  template: { src: main.j2, dest: "${dir}/main.txt" }
`,
    'play.yml': PLAY(dir).replace('    site: lab\n', vaulted.stdout.trimEnd().replace(/^/gm, '    ') + '\n'),
  });
  const applied = await quorumAsync([
    ...playArgs(dir, '--json'),
    '--diff',
    '--vault-password-file',
    join(dir, 'pass.txt'),
  ]);
  expect(applied.code, applied.stderr).toBe(0);
  expect(readFileSync(join(dir, 'main.txt'), 'utf8')).toContain(`root ${secret};`);
  expect(applied.stdout + applied.stderr).not.toContain(secret);
});

it('without ansible-core, refuses such a file before the run, with its place', async () => {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', ...FILES, 'play.yml': PLAY(dir) });
  const r = await quorumAsync(['validate', ...playArgs(dir).slice(1)], {
    env: { QUORUM_ANSIBLE_PYTHON: '/nonexistent/python3' },
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/main\.j2:8:34: \.pop\(\) changes a list or dict in place.*install ansible-core/);
});
