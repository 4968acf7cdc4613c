/**
 * Ansible's option and play variables (ansible_version, ansible_run_tags, ansible_skip_tags,
 * ansible_limit, ansible_diff_mode, ansible_forks, ansible_verbosity, ansible_play_name,
 * ansible_play_hosts_all; role_name, ansible_role_name, ansible_play_role_names, role_names,
 * ansible_role_names) against ansible-core 2.19 running the same play with the same
 * command line.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const CONTENT = [
  '{{ ansible_version.major }}.{{ ansible_version.minor }}',
  '{{ ansible_run_tags }}',
  '{{ ansible_skip_tags }}',
  "{{ ansible_limit | default('no limit') }}",
  '{{ ansible_diff_mode }}',
  '{{ ansible_forks }}',
  '{{ ansible_play_hosts_all }}',
  '{{ ansible_play_name }}',
  '{{ ansible_verbosity }}',
].join('|');

describe('magic variables of the command line and the play', () => {
  it('are what ansible-core 2.19 gives for the same play and options', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n',
      'play.yml': [
        '- hosts: h1:h2',
        '  name: the magic play',
        '  gather_facts: false',
        '  tasks:',
        `    - copy: { dest: "{{ out }}/{{ inventory_hostname }}", content: "${CONTENT}" }`,
        '      tags: [web]',
        '',
      ].join('\n'),
    });
    const out = { quorum: join(dir, 'q'), ansible: join(dir, 'a') };
    for (const d of Object.values(out)) mkdirSync(d);
    const run = await runLocal(dir, { limit: 'h1', tags: ['web'], forks: 3, extraVars: { out: out.quorum } });
    expect(run.code).toBe(0);
    const oracle = await ansibleCurrent(
      'ansible-playbook',
      [
        '-i',
        'hosts.ini',
        'play.yml',
        '--limit',
        'h1',
        '--tags',
        'web',
        '--forks',
        '3',
        '-e',
        `out=${out.ansible}`,
      ],
      dir,
    );
    expect(oracle.code, oracle.stdout).toBe(0);
    const ansibleText = readFileSync(join(out.ansible, 'h1'), 'utf8');
    // ansible_play_hosts_all after --limit, whatever VariableManager's comment says
    expect(ansibleText).toBe("2.19|['web']|[]|h1|False|3|['h1']|the magic play|0");
    expect(readFileSync(join(out.quorum, 'h1'), 'utf8')).toBe(ansibleText);
  }, 60_000);
});

describe("magic variables of a play's roles", () => {
  it("name the role running and the play's roles, as ansible-core 2.19 does", async () => {
    const dir = workspace();
    const show =
      '{{ role_name }}|{{ ansible_role_name }}|{{ ansible_play_role_names }}|{{ role_names }}|{{ ansible_role_names | sort }}';
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'roles/base/meta/main.yml': 'dependencies: [common]\n',
      'roles/base/tasks/main.yml': `- copy: { dest: "{{ out }}/base", content: "${show}" }\n`,
      'roles/common/tasks/main.yml': `- copy: { dest: "{{ out }}/common", content: "${show}" }\n`,
      'roles/web/tasks/main.yml': `- copy: { dest: "{{ out }}/web", content: "${show}" }\n`,
      'play.yml': '- hosts: all\n  gather_facts: false\n  roles: [base, web]\n',
    });
    const out = { quorum: join(dir, 'q'), ansible: join(dir, 'a') };
    for (const d of Object.values(out)) mkdirSync(d);
    const run = await runLocal(dir, { extraVars: { out: out.quorum } });
    expect(run.code).toBe(0);
    const oracle = await ansibleCurrent(
      'ansible-playbook',
      ['-i', 'hosts.ini', 'play.yml', '-e', `out=${out.ansible}`],
      dir,
    );
    expect(oracle.code, oracle.stdout).toBe(0);
    for (const role of ['common', 'base', 'web'])
      expect(readFileSync(join(out.quorum, role), 'utf8')).toBe(
        readFileSync(join(out.ansible, role), 'utf8'),
      );
    expect(readFileSync(join(out.quorum, 'common'), 'utf8')).toBe(
      "common|common|['base', 'web']|['base', 'web']|['base', 'common', 'web']",
    );
  }, 60_000);
});
