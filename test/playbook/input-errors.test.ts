/**
 * Input errors in the user's terms, before any host is touched: which parameter, what was given,
 * what is allowed (with a did-you-mean), located at the offending key, every error of the
 * playbook at once (each mistake once, whichever hosts met it), secrets never shown; and an
 * undefined name in a `when` is an error like one in a template.
 */

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS = 'h1 ansible_connection=local\nh2 ansible_connection=local\n';
const lines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('error: '));

it('module parameters: the value given, the values allowed, a did-you-mean, at the key', () => {
  const r = validateCli(
    [
      '- hosts: all',
      '  tasks:',
      '    - name: a folder',
      '      file:',
      '        path: /tmp/x',
      '        state: dirctory',
      '    - name: a mode',
      '      file:',
      '        path: /tmp/y',
      '        mode: [1]',
      '',
    ].join('\n'),
    HOSTS,
  );
  expect(r.code).toBe(1);
  // both mistakes, each once although both hosts meet them
  expect(lines(r.stderr)).toEqual([
    expect.stringMatching(
      /play\.yml:6:9: file: parameter "state" is "dirctory"; allowed: file, directory, absent, touch, link, hard$/,
    ),
    expect.stringMatching(
      /play\.yml:10:9: file: parameter "mode" is \[1\] \(array\); expected string or integer$/,
    ),
  ]);
  expect(r.stderr).toContain('hint: did you mean "directory"?');
});

it('role parameters: a missing one named as such, a wrong enum with its values, a secret never shown', () => {
  const missing = validateCli('- hosts: all\n  roles:\n    - role: metallb\n', HOSTS);
  expect(missing.code).toBe(1);
  expect(lines(missing.stderr)).toEqual([
    expect.stringMatching(/play\.yml:3:7: role metallb on h1: missing required parameter "metallb_pool"$/),
  ]);
  expect(missing.stderr).toContain('hint: set "metallb_pool" in the playbook, the inventory or with -e');

  const secret = validateCli(
    '- hosts: all\n  roles:\n    - role: keepalived\n      control_plane_vip: 10.0.0.10\n      keepalived_auth_pass: far-too-long-secret\n',
    'h1 ansible_connection=local\n',
  );
  expect(secret.code).toBe(1);
  expect(secret.stderr).toMatch(
    /parameter "keepalived_auth_pass" is \(secret, not shown\): it must NOT have more/,
  );
  expect(secret.stderr).not.toContain('far-too-long-secret');
});

it('an undefined name in a when is an error at the task, with a did-you-mean; run-time names are not', () => {
  const r = validateCli(
    [
      '- hosts: all',
      '  vars:',
      '    enable_x: true',
      '  tasks:',
      '    - name: a folder',
      '      file: { path: /tmp/x, state: directory }',
      '      when: enabel_x | bool',
      '    - name: registered',
      '      command: echo hi',
      '      register: out',
      '    - name: uses it and a fact',
      '      debug: { msg: hi }',
      "      when: out.rc == 0 and ansible_os_family == 'Debian'",
      '',
    ].join('\n'),
  );
  expect(r.code).toBe(1);
  expect(lines(r.stderr)).toEqual([
    expect.stringMatching(/play\.yml:5:7: undefined variable "enabel_x" in when: enabel_x \| bool$/),
  ]);
  expect(r.stderr).toContain('hint: did you mean "enable_x"?');
});

it("a variable whose own template names a run-time name is judged by that name, also where the when tests definedness (debops' resolved)", () => {
  const play = (typo: string) =>
    [
      '- hosts: all',
      '  gather_facts: false',
      '  vars:',
      `    feature_enabled: "{{ state_of_run${typo} == 'present' }}"`,
      '  tasks:',
      '    - set_fact: { state_of_run: present }',
      '    - name: looped, its when with a default',
      '      debug: { msg: "{{ item.name }}" }',
      '      loop: [{ name: a }, { name: b, state: absent }]',
      "      when: feature_enabled | bool and item.state | d('present') == 'absent'",
      '',
    ].join('\n');
  const r = validateCli(play(''));
  expect(r.code, r.stderr).toBe(0);
  // a typo inside it is still refused, by the name inside
  const typo = validateCli(play('_typo'));
  expect(typo.code).toBe(1);
  expect(typo.stderr).toMatch(
    /play\.yml:7:7: undefined variable "state_of_run_typo" in when: feature_enabled/,
  );
});

it("a task parameter naming a variable built from facts is left to the run, a typo inside it refused by its name (robertdebock.java's java_version)", () => {
  const play = (typo: string) =>
    [
      '- hosts: all',
      '  vars:',
      '    versions: { default: 11, Debian-12: 17 }',
      `    default_version: "{{ versions[ansible_distribution ~ '-' ~ ansible_distribution_major_version] | default(versions['default']) }}"`,
      `    java_version: "{{ default_version${typo} }}"`,
      '    packages: { 17: [openjdk-17-jdk], 11: [openjdk-11-jdk] }',
      '    java_package: "{{ packages[java_version | int] | default([]) }}"',
      '  tasks:',
      '    - debug: { msg: "{{ java_package }}" }',
      '',
    ].join('\n');
  const r = validateCli(play(''));
  expect(r.code, r.stderr).toBe(0);
  const typo = validateCli(play('_typo'));
  expect(typo.code).toBe(1);
  expect(typo.stderr).toMatch(
    /play\.yml:9:7: undefined variable "default_version_typo" for host h1 \(in the value of "java_version"\)/,
  );
});

it('a playbook that loads variables at run time leaves its conditions to the run', () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'site.yml': 'from_the_file: true\n',
    'play.yml': [
      '- hosts: all',
      '  tasks:',
      '    - include_vars: { file: site.yml }',
      '    - debug: { msg: hi }',
      '      when: from_the_file | bool',
      '',
    ].join('\n'),
  });
  const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
  // validated whole: the condition was left to the run, not refused, and nothing else stopped it
  expect(r.stderr).not.toContain('undefined variable "from_the_file"');
  expect(r.code, r.stderr).toBe(0);
});

it('a duplicate key in a playbook is a warning naming where (the last one is used), as Ansible warns', () => {
  const r = validateCli(
    [
      '- hosts: all',
      '  tasks:',
      '    - name: twice',
      '      debug: { msg: one }',
      '      debug: { msg: two }',
      '',
    ].join('\n'),
  );
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/warning: .*play\.yml:5:7: duplicate key "debug": the last one is used/);
});

it('a register name Jinja reserves (none, true, not ...) is refused at its place, as ansible-core 2.19 refuses it', () => {
  for (const [name, message] of [
    ['none', "name 'none'"],
    ['not', "name 'not'"],
    ['2x', "name '2x'"],
    ['True', "name 'True' of type 'bool'"],
  ]) {
    const r = validateCli(`- hosts: all\n  tasks:\n    - command: id\n      register: ${name}\n`, HOSTS);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([
      expect.stringContaining(`play.yml:4:7: Invalid 'register' specified: Invalid variable ${message}.`),
    ]);
  }
  expect(
    validateCli('- hosts: all\n  tasks:\n    - command: id\n      register: none_of_it\n', HOSTS).code,
  ).toBe(0);
});
