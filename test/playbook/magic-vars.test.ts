/**
 * Ansible's option and play variables (ansible_version, ansible_run_tags, ansible_skip_tags,
 * ansible_limit, ansible_diff_mode, ansible_forks, ansible_verbosity, ansible_play_name,
 * ansible_play_hosts_all, ansible_play_hosts, ansible_play_batch, play_hosts; role_name,
 * ansible_role_name, ansible_play_role_names, role_names, ansible_role_names,
 * ansible_dependent_role_names) against ansible-core 2.19 running the same play with the same
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

/** play.yml in `dir` through both engines (`out`: each side's folder); each side's file reader. */
async function bothWrite(dir: string, code = 0): Promise<(file: string) => [string, string]> {
  const out = { quorum: join(dir, 'q'), ansible: join(dir, 'a') };
  for (const d of Object.values(out)) mkdirSync(d);
  const run = await runLocal(dir, { extraVars: { out: out.quorum } });
  expect(run.code).toBe(code);
  const oracle = await ansibleCurrent(
    'ansible-playbook',
    ['-i', 'hosts.ini', 'play.yml', '-e', `out=${out.ansible}`],
    dir,
  );
  expect(oracle.code, oracle.stdout).toBe(code);
  return (file) => [
    readFileSync(join(out.quorum, file), 'utf8'),
    readFileSync(join(out.ansible, file), 'utf8'),
  ];
}

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
    const read = await bothWrite(dir);
    for (const role of ['common', 'base', 'web']) expect(read(role)[0]).toBe(read(role)[1]);
    expect(read('common')[0]).toBe("common|common|['base', 'web']|['base', 'web']|['base', 'common', 'web']");
  }, 60_000);
});

describe('the live host lists of a play', () => {
  it('leave out failed and ended hosts as ansible-core 2.19 does, batch by batch and play by play', async () => {
    const dir = workspace();
    const show =
      '{{ ansible_play_hosts }}|{{ ansible_play_batch }}|{{ play_hosts }}|{{ ansible_play_hosts_all }}';
    writeFiles(dir, {
      'hosts.ini': ['h1', 'h2', 'h3', 'h4'].map((h) => `${h} ansible_connection=local\n`).join(''),
      'play.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  serial: 3',
        '  tasks:',
        '    - command: /bin/false',
        "      when: inventory_hostname == 'h2'",
        '    - meta: end_host',
        "      when: inventory_hostname == 'h3'",
        `    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-1", content: "${show}" }`,
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        `    - copy: { dest: "{{ out }}/{{ inventory_hostname }}-2", content: "${show}" }`,
        '',
      ].join('\n'),
    });
    const read = await bothWrite(dir, 2);
    for (const f of ['h1-1', 'h4-1', 'h1-2', 'h3-2', 'h4-2']) expect(read(f)[0], f).toBe(read(f)[1]);
    // h2 failed, h3 ended its play in the first batch only: h4's batch still lists h3
    expect(read('h1-1')[0]).toBe("['h1', 'h4']|['h1']|['h1']|['h1', 'h2', 'h3', 'h4']");
    expect(read('h4-1')[0]).toBe("['h1', 'h3', 'h4']|['h4']|['h4']|['h1', 'h2', 'h3', 'h4']");
  }, 60_000);
});

describe('the role names of a play with imports, includes and dependencies', () => {
  it('are what ansible-core 2.19 gives, key=value include arguments too', async () => {
    const dir = workspace();
    const show =
      '{{ ansible_dependent_role_names | sort }}|{{ ansible_play_role_names }}|{{ ansible_role_names | sort }}';
    const files: Record<string, string> = {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'roles/base/meta/main.yml': 'dependencies: [common]\n',
      'roles/web/meta/main.yml': 'dependencies: [x]\n',
      'roles/common/meta/main.yml': 'dependencies: [y]\n',
      'play.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  roles: [base]',
        '  tasks:',
        `    - copy: { dest: "{{ out }}/t1", content: "${show}" }`,
        '    - import_role: name=web',
        '    - include_role: role=x tasks_from=main',
        `    - copy: { dest: "{{ out }}/t2", content: "${show}" }`,
        '',
      ].join('\n'),
    };
    // x runs twice (web's dependency, then included): its second file is the included one's
    for (const r of ['base', 'common', 'web', 'x', 'y'])
      files[`roles/${r}/tasks/main.yml`] =
        `- copy: { dest: "{{ out }}/${r}-{{ 2 if '${r}' in ansible_play_role_names else 1 }}", content: "${show}" }\n`;
    writeFiles(dir, files);
    const read = await bothWrite(dir);
    for (const f of ['t1', 't2', 'base-2', 'common-1', 'web-2', 'x-1', 'x-2', 'y-1'])
      expect(read(f)[0], f).toBe(read(f)[1]);
    expect(read('t2')[0]).toBe(
      "['common', 'x', 'y']|['base', 'web', 'x']|['base', 'common', 'web', 'x', 'y']",
    );
  }, 60_000);
});
