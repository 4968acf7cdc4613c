/**
 * Ansible content quorum does not implement is refused with its place before any host is
 * touched, never passed through as text; what it does implement means what Ansible means.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitCommandFreeForm } from '../../src/playbook/free-form.ts';
import { quorum } from '../helpers/cli.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

function validate(play: string, files: Record<string, string> = {}) {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play });
  mkdirSync(join(dir, 'templates'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'templates', name), text);
  return { dir, r: quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]) };
}

describe('Jinja2 quorum does not implement is refused, not passed through', () => {
  it.each([
    [
      'a {% if %} block in a task param',
      '- hosts: all\n  tasks:\n    - copy:\n        dest: /tmp/x\n        content: "{% if a %}on{% endif %}"\n',
      /play\.yml:5:\d+: Jinja2 statements \(\{% \.\.\. %\}\) are not supported/,
    ],
    [
      'a filter inside {{ }} in a play var',
      '- hosts: all\n  vars:\n    port: "{{ p | default(80) }}"\n  tasks: []\n',
      /play\.yml:3:\d+: Jinja2 expressions in \{\{ \}\} \(filters\) are not supported/,
    ],
    [
      'a {# comment #} in a task var',
      '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      vars: { note: "{# later #}" }\n',
      /play\.yml:4:\d+: Jinja2 comments/,
    ],
  ])('%s', (_name, play, message) => {
    const { r } = validate(play);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a .j2 template with a {% for %} loop is refused at its line, before any host', () => {
    const { dir, r } = validate(
      '- hosts: all\n  tasks:\n    - copy: { dest: "{{ out }}/first", content: x }\n    - template: { src: hosts.j2, dest: "{{ out }}/hosts" }\n  vars: { out: OUT }\n'.replaceAll(
        'OUT',
        '/nonexistent-quorum-test',
      ),
      { 'hosts.j2': '127.0.0.1 localhost\n{% for h in groups.all %}\n{{ h }}\n{% endfor %}\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: hosts\.j2:2:1: Jinja2 statements/m);
    expect(existsSync(join(dir, 'first'))).toBe(false);
  });

  it('Handlebars blocks stay allowed', () => {
    const { r } = validate(
      '- hosts: all\n  vars: { list: [a, b] }\n  tasks:\n    - debug: { msg: "{{#each list}}{{this}} {{/each}}" }\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('command and shell free form', () => {
  it('splits out creates=, removes=, chdir= as Ansible does, keeping the command as written', () => {
    expect(splitCommandFreeForm('mv a b creates=/x')).toEqual({ cmd: 'mv a b', params: { creates: '/x' } });
    expect(splitCommandFreeForm('tar xf f.tgz chdir="/opt/my app" removes=/y')).toEqual({
      cmd: 'tar xf f.tgz',
      params: { chdir: '/opt/my app', removes: '/y' },
    });
    expect(splitCommandFreeForm('echo "creates=/not a param"   x=1')).toEqual({
      cmd: 'echo "creates=/not a param"   x=1',
      params: {},
    });
  });

  it('`mv a b creates=/x` does not run when /x exists (it ran mv with creates=/x as an argument)', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      a: 'a\n',
      x: 'x\n',
      'play.yml': `- hosts: all\n  tasks:\n    - name: move\n      command: mv ${dir}/a ${dir}/b creates=${dir}/x\n`,
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(steps(run).find((s) => s.task === 'move')?.status).toBe('ok');
    expect(existsSync(join(dir, 'a'))).toBe(true);
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });
});

describe('keywords quorum does not implement', () => {
  it('check_mode is refused with its place (it was accepted and ignored)', () => {
    const { r } = validate('- hosts: all\n  tasks:\n    - command: "true"\n      check_mode: false\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: check_mode is not supported/);
  });
});

describe('loops and check mode do not hide errors', () => {
  it('a task with a loop known now has its params checked for every item', () => {
    const { r } = validate(
      '- hosts: all\n  tasks:\n    - file: { path: "/tmp/quorum-loop-{{ item }}", state: directroy }\n      loop: [a, b]\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: file: "state" must be equal to one of the allowed values/);
  });

  it('in check mode a template that does not parse fails, even after a predicted change', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'bad.hbs': '{{#if on}}unclosed\n',
      'play.yml': `- hosts: all\n  tasks:\n    - copy: { dest: "${dir}/new", content: x }\n    - template: { src: bad.hbs, dest: "${dir}/out" }\n`,
    });
    const run = await runLocal(dir, { check: true });
    expect(run.code).toBe(2);
    const step = steps(run).find((s) => s.module === 'template');
    expect(step).toMatchObject({ status: 'failed' });
    expect(step?.prediction).toBeUndefined();
  });
});

describe('template errors are located', () => {
  it('a {{#block}} left open names the task param, not a grammar dump', () => {
    const { r } = validate('- hosts: all\n  tasks:\n    - debug: { msg: "{{#if on}}unclosed" }\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: .*play\.yml:3:\d+: cannot parse the template "\{\{#if on\}\}unclosed": expected /m,
    );
    expect(r.stderr).not.toContain('------^');
  });

  it('Jinja2 in a role parameter is refused too', () => {
    const { r } = validate(
      '- hosts: all\n  roles:\n    - { role: containerd, containerd_config_path: "{{ p | default(\'/x\') }}" }\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: Jinja2 expressions in \{\{ \}\} \(filters\)/);
  });
});
