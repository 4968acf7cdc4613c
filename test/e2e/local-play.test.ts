/** Whole runs through the real CLI, local transport, in a temp folder. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { FIXTURE_ROLES, playCli, workspace, writeFiles } from '../helpers/run-local.ts';

const events = (stdout: string): RunEvent[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const changed = (ev: RunEvent[]) =>
  ev.filter((e) => e.type === 'step' && (e.status === 'changed' || e.status === 'would_change')).length;

function site(dir: string) {
  writeFiles(dir, {
    'hosts.ini':
      '[web]\nh1 ansible_connection=local\nh2 ansible_connection=local\n[db]\nh3 ansible_connection=local\n',
    'play.yml': `
- name: web tier
  hosts: web
  vars: { motd: "welcome" }
  roles:
    - { role: writer, dir: ${dir}, tags: [config] }
    - { role: producer, dir: ${dir} }
  tasks:
    - name: motd
      copy: { dest: "${dir}/{{ inventory_hostname }}.motd", content: "{{ motd }}\\n" }
      tags: [motd]
    - name: settings
      blockinfile: { path: "${dir}/{{ inventory_hostname }}.ini", create: true, block: "x=1\\ny=2" }
- name: db tier
  hosts: db
  roles:
    - { role: writer, dir: ${dir} }
`,
  });
}

const play = (dir: string, ...args: string[]) => playCli(dir, '--json', ...args);

describe('quorum play (local transport)', () => {
  it('converges, then the second run and a check run report zero changes', () => {
    const dir = workspace();
    site(dir);
    const first = play(dir);
    expect(first.code).toBe(0);
    const ev = events(first.stdout);
    expect(changed(ev)).toBeGreaterThan(0);
    expect(ev.at(-1)).toEqual(expect.objectContaining({ type: 'run_end', exitCode: 0 }));
    expect(ev.find((e) => e.type === 'recap')).toMatchObject({
      hosts: { h1: { failed: 0 }, h2: { failed: 0 }, h3: { failed: 0 } },
    });
    expect(readFileSync(join(dir, 'h3', 'app.conf'), 'utf8')).toContain('greeting = hello');
    expect(readFileSync(join(dir, 'h1.ini'), 'utf8')).toBe(
      '# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\n',
    );
    const second = play(dir);
    expect(second.code).toBe(0);
    expect(changed(events(second.stdout))).toBe(0);
    const check = play(dir, '--check');
    expect(changed(events(check.stdout))).toBe(0);
  });

  it('--limit, --tags and -e narrow and override', () => {
    const dir = workspace();
    site(dir);
    const r = play(dir, '--limit', 'h2', '--tags', 'motd', '-e', 'motd=override');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.motd'))).toEqual(['h2.motd']);
    expect(readFileSync(join(dir, 'h2.motd'), 'utf8')).toBe('override\n');
    expect(existsSync(join(dir, 'h2'))).toBe(false);
  });

  it('--list-hosts and --list-tasks show the plan without touching anything', () => {
    const dir = workspace();
    site(dir);
    const r = playCli(dir, '--list-hosts', '--list-tasks');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('play "web tier" (2 hosts):\n    h1\n    h2\n    role writer  tags: config\n');
    expect(readdirSync(dir).sort()).toEqual(['hosts.ini', 'play.yml']);
  });

  it('validate checks everything offline', () => {
    const dir = workspace();
    site(dir);
    const r = quorum([
      'validate',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '--roles-path',
      FIXTURE_ROLES,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ok: 2 play(s)');
    expect(readdirSync(dir).sort()).toEqual(['hosts.ini', 'play.yml']);
  });
});

describe('bad playbooks: located error, exit 1, nothing touched', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'unknown play key',
      '- hosts: all\n  taks: []\n',
      /play\.yml:2:3: unknown key "taks"\n {2}hint: did you mean "tasks"\?/,
    ],
    ['missing hosts', '- name: x\n  tasks: []\n', /play\.yml:1:3: missing required key "hosts"/],
    [
      'unknown module',
      '- hosts: all\n  tasks:\n    - copyy: { dest: /tmp/x, content: y }\n',
      /play\.yml:3:7: unknown module or task keyword "copyy"\n {2}hint: did you mean "copy"\?/,
    ],
    [
      'bad module param',
      '- hosts: all\n  tasks:\n    - file: { path: /tmp/x, state: folder }\n',
      /play\.yml:3:\d+: file: parameter "state" is "folder"; allowed: file, directory, absent, touch, link/,
    ],
    [
      'unknown module param',
      '- hosts: all\n  tasks:\n    - copy: { dest: /tmp/x, contnet: y }\n',
      /play\.yml:3:\d+: copy: unknown parameter "contnet"/,
    ],
    [
      'unknown module param where the values wait for the run',
      '- hosts: all\n  tasks:\n    - command: "true"\n      register: r\n    - copy: { dest: "/tmp/{{ r.stdout }}", contnet: y }\n',
      /play\.yml:5:\d+: copy: unknown parameter "contnet"\n {2}hint: did you mean "content"\?/,
    ],
    [
      'undefined variable',
      '- hosts: all\n  tasks:\n    - copy: { dest: "/tmp/{{ nope }}", content: y }\n',
      /play\.yml:3:\d+: undefined variable "nope" for host h1/,
    ],
    ['unknown role', '- hosts: all\n  roles: [nosuchrole]\n', /play\.yml:2:\d+: unknown role "nosuchrole"/],
    [
      'role param typo',
      '- hosts: all\n  roles:\n    - { role: writer, dir: /tmp, greting: x }\n',
      /play\.yml:3:\d+: role writer has no parameter "greting"\n {2}hint: did you mean "greeting"\?/,
    ],
    [
      'role param type',
      '- hosts: all\n  roles:\n    - { role: writer, dir: [5] }\n',
      /play\.yml:3:\d+: role writer on h1: parameter "dir" is \[5\] \(array\); expected string/,
    ],
    [
      'bad when',
      '- hosts: all\n  tasks:\n    - debug: { msg: x }\n      when: "a ==="\n',
      /play\.yml:4:\d+: syntax error.* in condition: a ===/,
    ],
    ['bad yaml', '- hosts: all\n  tasks: [\n', /play\.yml:\d+:\d+: invalid YAML/],
    [
      'bad module param under a condition that holds',
      '- hosts: all\n  vars: { use_ppa: true }\n  tasks:\n    - apt_repository: { repo: "ppa:x/y" }\n      when: use_ppa | bool\n',
      /play\.yml:4:\d+: apt_repository: parameter "repo" is "ppa:x\/y": it must match pattern/,
    ],
    [
      'bad module param under a condition the run may make true',
      '- hosts: all\n  tasks:\n    - set_fact: { use_ppa: true }\n    - apt_repository: { repo: "ppa:x/y" }\n      when: use_ppa | default(false)\n',
      /play\.yml:4:\d+: apt_repository: parameter "repo" is "ppa:x\/y": it must match pattern/,
    ],
  ];
  it.each(cases)('%s', (_name, text, message) => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': text });
    const r = playCli(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['hosts.ini', 'play.yml']);
  });
});

describe('a task this host certainly skips', () => {
  it('is not checked, as Ansible checks arguments only of tasks that run; the run reports it skipped', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  vars: { use_ppa: false }\n  tasks:\n    - apt_repository: { repo: "ppa:x/y" }\n      when: [true, use_ppa | bool]\n',
    });
    const r = playCli(dir, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ends = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'node_end');
    expect(ends.map((e) => e.status)).toEqual(['skipped']);
  });
});
