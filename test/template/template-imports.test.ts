/**
 * `{% include %}`, `{% import %}`, `{% from ... import %}` and `{% extends %}` in template files,
 * as ansible-core 2.19 runs them (the forms debops' roles use: a macro file imported `with
 * context` by a path under the role, `from 'macro_x.j2' import x`, `extends` of a default
 * config), side by side with ansible-playbook on the written files. Jinja2's context rules:
 * an include sees the includer's variables (a `set` before it, a loop's variable), an import
 * sees them only `with context`; names are found along the template's search path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const MACROS = `{% macro line(key, value) %}{{ key }} = {{ value }} ({{ site | default('no site') }}){% endmacro %}
{% macro list(items) %}
{% for i in items %}
- {{ i }}
{% endfor %}
{% endmacro %}
{% set exported = 'from the module' %}
`;

const FILES: Record<string, string> = {
  'roles/r/templates/import/macros.j2': MACROS,
  'roles/r/templates/header.j2': '# {{ site }} {{ local | default("-") }}\n',
  'roles/r/templates/sub/nested.j2': "nested: {% include 'header.j2' %}\n",
  'roles/r/templates/base.conf.j2':
    '[main]\n{% block main %}\ndefault = yes\n{% endblock %}\n[end]\n{% block tail %}{{ site }}{% endblock %}\n',
  'roles/r/templates/child.conf.j2':
    '{% extends "base.conf.j2" %}\n{% block main %}\nchild = {{ site }}\n{{ super() }}{% endblock %}\n',
  'roles/r/templates/main.j2': `{% import 'templates/import/macros.j2' as with_vars with context %}
{% import 'import/macros.j2' as without_vars %}
{% from 'import/macros.j2' import line, list as bullets %}
{% from "import/macros.j2" import line as line_with with context %}
a: {{ with_vars.line('a', 1) }}
b: {{ without_vars.line('b', 2) }}
c: {{ line('c', 3) }}
d: {{ line_with('d', 4) }}
{{ bullets(['x', 'y']) }}
e: {{ with_vars.exported }}
{% include 'header.j2' %}
{% set local = 'set before' %}
{% include 'header.j2' %}
{% for site in ['s1', 's2'] %}
{% include "sub/nested.j2" %}
{% endfor %}
{% include 'missing.j2' ignore missing %}
{% include ['missing.j2', 'header.j2'] %}
{% include '/header.j2' %}
end
`,
};

const PLAY = (out: string) => `- hosts: all
  gather_facts: false
  vars: { site: lab }
  roles: [{ role: r, out: "${out}" }]
`;

const TASKS = `- name: imports and includes
  template: { src: main.j2, dest: "{{ out }}/main.txt" }
- name: extends
  template: { src: child.conf.j2, dest: "{{ out }}/child.conf" }
- name: an include in a lookup
  copy: { dest: "{{ out }}/lookup.txt", content: "{{ lookup('template', 'sub/nested.j2') }}" }
`;

it('includes, imports and extends write the files 2.19 writes', async () => {
  const side = await sideBySide(PLAY, { ...FILES, 'roles/r/tasks/main.yml': TASKS });
  expect(side.oracle.code, side.oracle.stdout).toBe(0);
  expect(Object.values(sameStatuses(side))).toEqual(['changed', 'changed', 'changed']);
  const text = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
  for (const f of ['main.txt', 'child.conf', 'lookup.txt'])
    expect(text(side.out.quorum, f), f).toBe(text(side.out.ansible, f));
  // what Jinja2's rules give, spelled out: only `with context` sees the play's `site`
  const main = text(side.out.quorum, 'main.txt');
  expect(main).toContain('a: a = 1 (lab)');
  expect(main).toContain('b: b = 2 (no site)');
  expect(main).toContain('c: c = 3 (no site)');
  expect(main).toContain('d: d = 4 (lab)');
  expect(main).toContain('# lab set before');
  expect(main).toContain('nested: # s2 set before');
  expect(text(side.out.quorum, 'child.conf')).toBe('[main]\nchild = lab\ndefault = yes\n[end]\nlab\n');
}, 120_000);

it('a name not found fails where the statement runs, as in Jinja2', async () => {
  const side = await sideBySide(PLAY, {
    'roles/r/templates/t.j2': "{% if false %}{% include 'nowhere.j2' %}{% endif %}ok\n",
    'roles/r/templates/u.j2': "{% include 'nowhere.j2' %}\n",
    'roles/r/tasks/main.yml': `- name: never runs
  template: { src: t.j2, dest: "{{ out }}/t.txt" }
- name: runs
  template: { src: u.j2, dest: "{{ out }}/u.txt" }
  ignore_errors: true
`,
  });
  expect(Object.values(sameStatuses(side))).toEqual(['changed', 'failed']);
});

it('validate refuses, with the place, a name given by an expression and a problem inside an imported file', () => {
  const files = {
    'roles/r/tasks/main.yml': '- template: { src: main.j2, dest: /nowhere/x }\n',
    'roles/r/templates/main.j2': "line one\n{% import 'macros.j2' as m with context %}{{ m.x() }}\n",
    'roles/r/templates/macros.j2': '{% macro x() %}\n{{ 1 | no_such_filter }}\n{% endmacro %}\n',
  };
  const validate = (more: Record<string, string> = {}) =>
    validateCli(PLAY('/nowhere'), undefined, { ...files, ...more });
  const bad = validate();
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^error: macros\.j2:2:8: unknown filter "no_such_filter"/);

  const named = validate({ 'roles/r/templates/main.j2': "x\n{% include name ~ '.j2' %}\n" });
  expect(named.code).toBe(1);
  expect(named.stderr).toMatch(/main\.j2:2:12: \{% include %\} of a template named by an expression/);

  const inYaml = validate({ 'roles/r/tasks/main.yml': `- debug: { msg: "{% include 'macros.j2' %}" }\n` });
  expect(inYaml.code).toBe(1);
  expect(inYaml.stderr).toMatch(/tasks\/main\.yml:1:\d+: \{% include %\} outside a template file/);
});
