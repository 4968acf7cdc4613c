/**
 * The template module's whitespace options (lstrip_blocks, trim_blocks, and a file's own
 * `#jinja2:` first line) against ansible-core's template module on the same file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansible, ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { playCli, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const BODY =
  'servers:\n  {% for s in ["a", "b"] %}\n    {% if s != "x" %}\n  - {{ s }}\n    {% endif %}\n  {% endfor %}\nend\n';

describe('template whitespace options, as ansible-core renders them', () => {
  it.each([
    ['defaults', '', {}],
    ['lstrip_blocks: true', '', { lstrip_blocks: true }],
    ['trim_blocks: false', '', { trim_blocks: false }],
    ['a #jinja2: line', '#jinja2: lstrip_blocks: True, trim_blocks: False\n', {}],
    ['a #jinja2: line over the parameter', '#jinja2: lstrip_blocks: False\n', { lstrip_blocks: true }],
  ])(
    '%s',
    async (_name, header, params) => {
      const dir = workspace();
      const src = join(dir, 't.j2');
      writeFileSync(src, header + BODY);
      const r = await ansible('ansible', [
        'localhost',
        '-c',
        'local',
        '-m',
        'template',
        '-a',
        JSON.stringify({ src, dest: join(dir, 'theirs'), ...params }),
      ]);
      expect(r.code, r.stdout).toBe(0);
      writeFiles(dir, {
        'hosts.ini': 'h1 ansible_connection=local\n',
        'play.yml': JSON.stringify([
          {
            hosts: 'all',
            gather_facts: false,
            tasks: [{ template: { src, dest: join(dir, 'mine'), ...params } }],
          },
        ]),
      });
      expect((await runLocal(dir)).code).toBe(0);
      expect(readFileSync(join(dir, 'mine'), 'utf8')).toBe(readFileSync(join(dir, 'theirs'), 'utf8'));
    },
    30_000,
  );

  it('refuses a #jinja2: option quorum does not have, located, before any host', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      't.j2': "#jinja2: variable_start_string: '[%'\n[% x %]\n",
      'play.yml': `- hosts: all\n  tasks:\n    - template: { src: ${dir}/t.j2, dest: ${dir}/out }\n`,
    });
    const r = playCli(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/t\.j2:1:1: #jinja2: variable_start_string: '\[%' is not supported/);
  });
});

it('refuses a lowercase true in a #jinja2: line before any host, as 2.19 fails it (a Python literal)', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    't.j2': '#jinja2: trim_blocks: true\nx\n',
    'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - template: { src: ${dir}/t.j2, dest: ${dir}/out }\n`,
  });
  const r = playCli(dir);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/t\.j2:1:1: #jinja2: trim_blocks: true is not supported/);
  expect(r.stderr).toContain('write True');
  expect(existsSync(join(dir, 'out'))).toBe(false);
  // ansible-playbook 2.19 fails the task on the same file
  const theirs = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir);
  expect(theirs.code).not.toBe(0);
  expect(theirs.stdout + theirs.stderr).toMatch(/malformed node|literal/i);
});

it('renders a {% block %} in a template nothing extends in place, as 2.19 does (geerlingguy.nginx)', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    't.j2':
      'user www;\n{% block http_begin %}{% endblock %}\nhttp {\n{% block http_upstream %}\n  upstream {{ name }} {}\n{% endblock %}\n}\n',
    'play.yml': `- hosts: all\n  gather_facts: false\n  vars: { name: web }\n  tasks:\n    - template: { src: ${dir}/t.j2, dest: "{{ out }}" }\n`,
  });
  const theirs = await ansibleCurrent(
    'ansible-playbook',
    ['-i', 'hosts.ini', 'play.yml', '-e', `out=${dir}/theirs`],
    dir,
  );
  expect(theirs.code, theirs.stdout).toBe(0);
  const r = playCli(dir, '-e', `out=${dir}/mine`);
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(join(dir, 'mine'), 'utf8')).toBe(readFileSync(join(dir, 'theirs'), 'utf8'));
  expect(readFileSync(join(dir, 'mine'), 'utf8')).toContain('  upstream web {}\n');
});
