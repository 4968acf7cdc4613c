/**
 * Ansible content quorum does not implement is refused with its place before any host is
 * touched, never passed through as text; what it does implement means what Ansible means.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('Jinja2 is evaluated as Ansible does; what quorum lacks is refused with its place', () => {
  it('{% if %}, filters and {# comments #} in params and vars are Jinja2, rendered on the host', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  vars:\n    port: "{{ p | default(80) }}"\n    enabled: true\n  tasks:\n    - copy:\n        dest: ${dir}/out\n        content: "{% if enabled %}port={{ port }}{% endif %}{# note #};{{ [1, 2] | map('string') | join(',') }}"\n`,
    });
    const run = await runLocal(dir, {});
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('port=80;1,2');
  });

  it.each([
    [
      'an unknown filter in a play var a task uses',
      '- hosts: all\n  vars:\n    port: "{{ p | frobnicate }}"\n  tasks:\n    - debug: { var: port }\n',
      /play\.yml:3:\d+: unknown filter "frobnicate"/,
    ],
    [
      'an unknown test in a task param',
      '- hosts: all\n  tasks:\n    - debug: { msg: "{{ 1 is prime }}" }\n',
      /play\.yml:3:\d+: unknown test "prime"/,
    ],
    [
      'a lookup neither quorum nor a Python plugin has',
      "- hosts: all\n  tasks:\n    - debug: { msg: \"{{ lookup('no_such_lookup', 'example.test') }}\" }\n",
      /play\.yml:3:\d+: lookup "no_such_lookup" is not supported/,
    ],
    [
      'Handlebars in YAML (only .hbs files are Handlebars)',
      '- hosts: all\n  tasks:\n    - debug: { msg: "{{#if on}}x{{/if}}" }\n',
      /play\.yml:3:\d+: unexpected character "#"/,
    ],
    [
      'a {% if %} left open',
      '- hosts: all\n  tasks:\n    - debug: { msg: "{% if on %}x" }\n',
      /play\.yml:3:\d+: syntax error: unexpected end of input/,
    ],
    [
      'an unknown filter in a role parameter',
      '- hosts: all\n  roles:\n    - { role: containerd, containerd_config_path: "{{ p | nope(\'/x\') }}" }\n',
      /play\.yml:3:\d+: unknown filter "nope"/,
    ],
    [
      // append/extend/update alone in a {% set %} are rewritten (mutations.ts); pop is not
      'a list changed in place in a way quorum does not rewrite',
      '- hosts: all\n  tasks:\n    - debug: { msg: "{% set l = [1] %}{% set _ = l.pop() %}{{ l }}" }\n',
      /play\.yml:3:\d+: \.pop\(\) changes a list or dict in place/,
    ],
    [
      'an append inside a bigger expression',
      '- hosts: all\n  tasks:\n    - debug: { msg: "{% set l = [] %}{{ l.append(1) or l }}" }\n',
      /play\.yml:3:\d+: \.append\(\) changes a list or dict in place/,
    ],
  ])('%s', (_name, play, message) => {
    const { r } = validate(play);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('a .j2 template renders its {% for %} loop; one with an unknown filter is refused at its line before any host', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'hosts.j2': '127.0.0.1 localhost\n{% for h in groups.all %}\n{{ h }} {{ h | upper }}\n{% endfor %}\n',
      'play.yml': `- hosts: all\n  tasks:\n    - template: { src: hosts.j2, dest: ${dir}/hosts }\n`,
    });
    expect((await runLocal(dir, {})).code).toBe(0);
    expect(readFileSync(join(dir, 'hosts'), 'utf8')).toBe('127.0.0.1 localhost\nh1 H1\n');

    const { dir: bad, r } = validate(
      '- hosts: all\n  tasks:\n    - copy: { dest: "{{ out }}/first", content: x }\n    - template: { src: hosts.j2, dest: "{{ out }}/hosts" }\n  vars: { out: /nonexistent-quorum-test }\n',
      { 'hosts.j2': '127.0.0.1 localhost\n{% for h in groups.all %}\n{{ h | shout }}\n{% endfor %}\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: hosts\.j2:3:8: unknown filter "shout"/m);
    expect(existsSync(join(bad, 'first'))).toBe(false);
  });

  it("a .j2 is checked before the run where the task's other parameters wait for the run (a loop over a registered list)", () => {
    const { dir, r } = validate(
      '- hosts: all\n  tasks:\n    - copy: { dest: "{{ playbook_dir }}/first", content: x }\n    - command: ls /\n      register: found\n      changed_when: false\n' +
        '    - template: { src: list.j2, dest: "{{ out }}/{{ item }}" }\n      loop: "{{ found.stdout_lines }}"\n  vars: { out: /nonexistent-quorum-test }\n',
      { 'list.j2': '{% set l = [3, 1] %}\n{{ l | no_such_filter }}\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: list\.j2:2:8: unknown filter "no_such_filter"/m);
    expect(existsSync(join(dir, 'first'))).toBe(false);
  });

  it("a template lookup's .j2 is checked before the run, by its literal name (debops' apt_install)", () => {
    const { dir, r } = validate(
      '- hosts: all\n  tasks:\n    - copy: { dest: "{{ playbook_dir }}/first", content: x }\n' +
        "    - debug: { msg: \"{{ lookup('ansible.builtin.template', 'list.j2') | from_yaml }}\" }\n",
      { 'list.j2': '{% set l = [3, 1] %}\n{{ l | no_such_filter }}\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: list\.j2:2:8: unknown filter "no_such_filter"/m);
    expect(existsSync(join(dir, 'first'))).toBe(false);
  });

  it('a loop over nothing is not checked further: its condition may name what is not defined (it is never asked)', () => {
    const { r } = validate(
      '- hosts: all\n  gather_facts: false\n  vars: { extra: [] }\n  tasks:\n' +
        '    - debug: { msg: "{{ item }}" }\n      loop: "{{ extra | d([]) + other | d([]) }}"\n      when: not_defined_anywhere | bool\n',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // a loop with items still has its condition checked
    const { r: some } = validate(
      '- hosts: all\n  gather_facts: false\n  tasks:\n' +
        '    - debug: { msg: "{{ item }}" }\n      loop: [1]\n      when: not_defined_anywhere | bool\n',
    );
    expect(some.code).toBe(1);
    expect(some.stderr).toMatch(/undefined variable "not_defined_anywhere"/);
  });

  it("a handler's condition on a variable no one defines is said, not refused: it is asked only where notified", () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  roles: [handlers_only]\n',
      'roles/handlers_only/tasks/main.yml': '- debug: { msg: hi }\n',
      'roles/handlers_only/handlers/main.yml':
        '- name: restart ntpd\n  debug: { msg: x }\n  when: ntp__daemon == "ntpd"\n',
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /main\.yml:1:\d+: .*undefined variable "ntp__daemon".*a handler: it fails there if notified/,
    );
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
  it("check_mode: false on a change: a check run predicts it and says it did not run it (quorum's check never writes)", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n    - file: { path: ${dir}/made, state: touch }\n      check_mode: false\n`,
    });
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    expect(existsSync(join(dir, 'made'))).toBe(false);
    expect(steps(check)[0]).toMatchObject({
      status: 'would_change',
      message: expect.stringMatching(/predicted, not run/),
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(existsSync(join(dir, 'made'))).toBe(true);
  });

  it('check_mode: true: the task is only predicted, in an apply run too', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n    - file: { path: ${dir}/never, state: touch }\n      check_mode: true\n`,
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'never'))).toBe(false);
    expect(steps(run)[0].status).toBe('would_change');
    const { r } = validate('- hosts: all\n  tasks:\n    - command: "true"\n      check_mode: "{{ x }}"\n');
    // a template is rendered before the run (check-mode-template.test.ts); one that cannot be is refused
    expect(r.stderr).toMatch(/play\.yml:4:\d+: check_mode: "\{\{ x \}\}" cannot be rendered before the run/);
  });

  it('check_mode: false on a read-only command runs it in check mode, as in Ansible', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  tasks:\n    - command: echo from-the-host\n      check_mode: false\n      changed_when: false\n      register: out\n    - debug: { msg: "said {{ out.stdout }}" }\n',
    });
    const run = await runLocal(dir, { check: true });
    expect(run.code).toBe(0);
    expect(steps(run).find((s) => s.module === 'debug')?.message).toBe('said from-the-host');
  });
});

describe('loops and check mode do not hide errors', () => {
  it('a task with a loop known now has its params checked for every item', () => {
    const { r } = validate(
      '- hosts: all\n  tasks:\n    - file: { path: "/tmp/quorum-loop-{{ item }}", state: directroy }\n      loop: [a, b]\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:3:\d+: file: parameter "state" is "directroy"; allowed: file, directory, absent, touch, link/,
    );
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
