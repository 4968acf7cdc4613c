/**
 * Playbook keywords Ansible users write at the top of a play or a site.yml: import_playbook,
 * connection: local (play and task), local_action, remote_user, strategy.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPlaybook } from '../../src/execute/run.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum, quorumAsync } from '../helpers/cli.ts';
import { changedSteps, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';
import { bothOverSsh, loopbackHost } from '../helpers/ssh-side-by-side.ts';
import { canRunSshd } from '../helpers/sshd.ts';

/** A host quorum cannot reach over SSH (a closed port on loopback): only a local run succeeds. */
const UNREACHABLE = 'h1 ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n';

function play(dir: string, ...args: string[]) {
  return quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), ...args]);
}

describe('import_playbook', () => {
  it('runs the plays of the files it names in order, each finding its files beside it, with the vars and tags given', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'plays', 'templates'), { recursive: true });
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'site.yml': `- import_playbook: plays/web.yml\n  vars: { greeting: hello }\n  tags: [web]\n- hosts: all\n  tasks:\n    - copy: { dest: ${dir}/last, content: "after web\\n" }\n`,
      'plays/web.yml': `- hosts: all\n  tasks:\n    - template: { src: page.j2, dest: ${dir}/page }\n`,
      'plays/templates/page.j2': '{{ greeting }} from {{ inventory_hostname }}\n',
    });
    const r = await runLocal(dir, { playbook: 'site.yml' });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'page'), 'utf8')).toBe('hello from h1\n');
    expect(changedSteps(r)).toEqual(['h1 copy', 'h1 template']);
    // the import's tag reaches its plays' tasks, and only them
    const tagged = await runLocal(dir, { playbook: 'site.yml', tags: ['web'], check: true });
    expect(tagged.events.filter((e) => e.type === 'step').map((e) => (e as { task: string }).task)).toEqual([
      'template',
    ]);
  });

  it.each([
    [
      'a missing file',
      '- import_playbook: nope.yml\n',
      /site\.yml:1:\d+: import_playbook: .*nope\.yml does not exist/,
    ],
    [
      'itself',
      '- import_playbook: site.yml\n',
      /site\.yml:1:\d+: import_playbook of site\.yml imports itself/,
    ],
    [
      'a key it does not take',
      '- import_playbook: x.yml\n  become: true\n',
      /site\.yml:2:\d+: import_playbook does not take "become"/,
    ],
    [
      'a template',
      '- import_playbook: "{{ x }}.yml"\n',
      /site\.yml:1:\d+: import_playbook needs a file name/,
    ],
  ])('refuses %s, located, before any host', (_name, text, message) => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'site.yml': text,
      'x.yml': '- hosts: all\n',
    });
    const r = quorum(['play', join(dir, 'site.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('connection: local and local_action', () => {
  it('a play with connection: local runs its tasks here on behalf of each host; without it the host is unreachable', () => {
    const dir = workspace();
    const body = `  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/{{ inventory_hostname }}", content: "x\\n" }\n`;
    writeFiles(dir, { 'hosts.ini': UNREACHABLE, 'play.yml': `- hosts: all\n  connection: local\n${body}` });
    expect(play(dir).code).toBe(0);
    expect(existsSync(join(dir, 'h1'))).toBe(true);
    writeFiles(dir, { 'play.yml': `- hosts: all\n${body}` });
    expect(play(dir).code).toBe(4);
  });

  it('local_action (both forms) and a task with connection: local run here', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': UNREACHABLE,
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - local_action: copy dest=${dir}/a content=a\n    - local_action: { module: copy, dest: ${dir}/b, content: b }\n    - copy: { dest: ${dir}/c, content: c }\n      connection: local\n`,
    });
    const r = play(dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(['a', 'b', 'c'].map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(['a', 'b', 'c']);
  });

  it('refuses a connection quorum does not have, located', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': UNREACHABLE,
      'play.yml': '- hosts: all\n  tasks:\n    - ping: {}\n      connection: docker\n',
    });
    const r = play(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: connection: docker is not supported/);
  });
});

describe('remote_user and strategy', () => {
  /** The ansible_user each host's transport was made with. */
  async function usersFor(dir: string): Promise<Record<string, unknown>> {
    const users: Record<string, unknown> = {};
    const code = await runPlaybook({
      playbook: join(dir, 'play.yml'),
      runLock: false, // this machine, shared with the other tests
      durableHandlers: false,
      inventory: [join(dir, 'hosts.ini')],
      reporters: [],
      transportFactory: (host, vars) => {
        users[host] = vars.ansible_user;
        return new LocalTransport(host);
      },
    });
    expect(code).toBe(0);
    return users;
  }

  it("logs in as the play's remote_user where the inventory names no user (ansible_user wins)", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1\nh2 ansible_user=deploy\n',
      'play.yml':
        '- hosts: all\n  remote_user: admin\n  strategy: free\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n',
    });
    expect(await usersFor(dir)).toEqual({ h1: 'admin', h2: 'deploy' });
  });

  it('renders a templated remote_user for each host, with its inventory vars, the play vars and -e', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 login=ops\nh2 login=admin\nh3 ansible_user=deploy login=x\n',
      'play.yml':
        '- hosts: all\n  remote_user: "{{ login }}-{{ suffix }}"\n  vars: { suffix: a }\n  gather_facts: false\n  tasks:\n    - debug: { msg: hi }\n',
    });
    expect(await usersFor(dir)).toEqual({ h1: 'ops-a', h2: 'admin-a', h3: 'deploy' });
  });

  it('refuses two plays that log in to one host as different users', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1\n',
      'play.yml':
        '- hosts: all\n  remote_user: a\n  tasks: []\n- name: second\n  hosts: all\n  remote_user: b\n  tasks: []\n',
    });
    const r = play(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:4:\d+: h1 is in plays with different remote_user \(play 1: a, second: b\)/,
    );
  });
});

describe('connection variables from -e and play vars', () => {
  const onePlay = '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo hi\n';

  it("-e and a play's vars reach the host as ansible-playbook 2.19 reaches it (the inventory names a closed port)", async () => {
    const cases: Array<[string, string, string[]]> = [
      ['-e', onePlay, ['-e', 'ansible_connection=local']],
      [
        'play vars',
        onePlay.replace('  gather_facts', '  vars: { ansible_connection: local }\n  gather_facts'),
        [],
      ],
      [
        'a templated play var',
        onePlay.replace('  gather_facts', '  vars: { ansible_connection: "{{ how }}" }\n  gather_facts'),
        ['-e', 'how=local'],
      ],
    ];
    for (const [name, text, args] of cases) {
      const dir = workspace();
      writeFiles(dir, { 'hosts.ini': UNREACHABLE, 'play.yml': text });
      const [mine, theirs] = await Promise.all([
        quorumAsync(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), ...args]),
        ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml', ...args], dir),
      ]);
      expect([name, theirs.code]).toEqual([name, 0]);
      expect([name, mine.code]).toEqual([name, 0]);
    }
  });

  it('refuses plays that reach one host differently, and a task or block that would', () => {
    const cases: Array<[string, RegExp]> = [
      [
        '- hosts: all\n  vars: { ansible_port: 2222 }\n  tasks: []\n- name: second\n  hosts: all\n  tasks: []\n',
        /play\.yml:4:\d+: h1 is in plays whose vars connect differently/,
      ],
      [
        '- hosts: all\n  tasks:\n    - command: id\n      vars: { ansible_user: deploy }\n',
        /play\.yml:4:\d+: ansible_user in a task's or block's vars: quorum keeps one connection per host for a run/,
      ],
      [
        '- hosts: all\n  tasks:\n    - block:\n        - command: id\n      vars:\n        ansible_host: 10.0.0.9\n',
        /play\.yml:6:\d+: ansible_host in a task's or block's vars/,
      ],
    ];
    for (const [text, message] of cases) {
      const dir = workspace();
      writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': text });
      const r = play(dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe.skipIf(!canRunSshd)('remote_user and port on a task, over SSH', () => {
  const dir = workspace();
  const host = loopbackHost(dir, 'task-login');
  const taskPlay = (d: string) =>
    `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: who\n      command: id -un\n      remote_user: nobody\n      port: 2\n      register: who\n    - copy: { dest: ${d}/who, content: "{{ who.stdout }}" }\n      delegate_to: localhost\n`;

  it('are ignored where variables name the user and port, as 2.19 ignores them (variables beat keywords)', async () => {
    const { q, a } = await bothOverSsh(dir, host.inventory(), taskPlay);
    for (const d of [q, a]) expect(readFileSync(join(d, 'who'), 'utf8')).toBe('root');
  });

  it('are refused before any host where they would log in otherwise for the task', () => {
    const d = join(dir, 'refused');
    const inventory = host.inventory().replace(' ansible_user=root', '');
    writeFiles(d, { 'play.yml': taskPlay(d).replace('      port: 2\n', ''), 'hosts.ini': inventory });
    const r = play(d);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:6:\d+: who: remote_user nobody would log in to h1 otherwise for this task/,
    );
  });
});

describe('module_defaults and collections', () => {
  it("gives a module's tasks the play's defaults unless they set them, by any of the module's names", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  collections: [community.general]\n  module_defaults:\n    ansible.builtin.copy: { mode: "0600" }\n  tasks:\n    - copy: { dest: ${dir}/a, content: a }\n    - ansible.builtin.copy: { dest: ${dir}/b, content: b, mode: "0644" }\n`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'b')).mode & 0o777).toBe(0o644);
  });

  it('a block and a task take module_defaults too: the innermost wins, a given parameter over all (as 2.19)', async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  module_defaults:
    copy: { mode: "0600" }
  tasks:
    - block:
        - name: in the block
          copy: { dest: ${d}/a, content: a }
        - block:
            - name: in the inner block
              ansible.builtin.copy: { dest: ${d}/b, content: b }
          module_defaults:
            ansible.builtin.copy: { mode: "0640" }
      module_defaults:
        copy: { mode: "0644" }
        command: { chdir: ${d} }
    - name: its own
      copy: { dest: ${d}/c, content: c }
      module_defaults:
        copy: { mode: "0400" }
    - name: the play's
      copy: { dest: ${d}/d, content: d }
    - block:
        - name: given
          copy: { dest: ${d}/e, content: e, mode: "0755" }
        - name: where
          command: pwd
          register: where
      module_defaults:
        copy: { mode: "0644" }
        command: { chdir: ${d} }
    - name: written
      copy: { dest: ${d}/where, content: "{{ where.stdout }}" }
`;
    const sides = await sideBySide(play);
    sameStatuses(sides);
    const modes = (d: string) =>
      Object.fromEntries(
        ['a', 'b', 'c', 'd', 'e'].map((f) => [f, (statSync(join(d, f)).mode & 0o777).toString(8)]),
      );
    expect(modes(sides.out.quorum)).toEqual(modes(sides.out.ansible));
    expect(modes(sides.out.quorum)).toEqual({ a: '644', b: '640', c: '400', d: '600', e: '755' });
    for (const d of Object.values(sides.out)) expect(readFileSync(join(d, 'where'), 'utf8')).toBe(d);
  });

  it.each([
    [
      'an action group no collection has',
      '  module_defaults:\n    group/aws: { region: x }\n',
      /play\.yml:3:\d+: module_defaults: could not resolve the action group ansible\.builtin\.aws/,
    ],
    [
      'an unknown module',
      '  module_defaults:\n    copyy: { mode: "0600" }\n',
      /play\.yml:3:\d+: module_defaults: unknown module "copyy"/,
    ],
  ])('refuses %s, located', (_name, text, message) => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n${text}  tasks: []\n`,
    });
    const r = play(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});

describe("a task's diff keyword", () => {
  it("shows or hides that task's diff whatever --diff says", () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n    - name: shown\n      copy: { dest: ${dir}/a, content: a }\n      diff: true\n    - name: hidden\n      copy: { dest: ${dir}/b, content: b }\n      diff: false\n    - name: as --diff says\n      copy: { dest: ${dir}/c, content: c }\n`,
    });
    const diffs = (args: string[]) =>
      play(dir, '--json', '--check', ...args)
        .stdout.split('\n')
        .filter((l) => l.includes('"type":"step"'))
        .map((l) => JSON.parse(l))
        .map((e) => [e.task, e.changes.some((c: { diff?: unknown }) => c.diff !== undefined)]);
    expect(diffs([])).toEqual([
      ['shown', true],
      ['hidden', false],
      ['as --diff says', false],
    ]);
    expect(diffs(['--diff'])).toEqual([
      ['shown', true],
      ['hidden', false],
      ['as --diff says', true],
    ]);
  });
});

describe('templated play hosts', () => {
  const files = (dir: string) => ({
    'hosts.ini': '[all]\na ansible_connection=local\nb ansible_connection=local\n',
    'play.yml': `- hosts: "{{ target }}:!{{ skip | default('none') }}"\n  gather_facts: false\n  tasks:\n    - copy: { dest: "${dir}/{{ inventory_hostname }}", content: "x\\n" }\n`,
  });

  it('renders hosts from -e (as Ansible does) and runs on those hosts only', async () => {
    const dir = workspace();
    writeFiles(dir, files(dir));
    const r = await runLocal(dir, { extraVars: { target: 'all', skip: 'a' } });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'b'))).toBe(true);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('an undefined variable in hosts is an error at the play, before any host (never zero hosts)', () => {
    const dir = workspace();
    writeFiles(dir, files(dir));
    const r = play(dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      `${join(dir, 'play.yml')}:1:3: hosts: "{{ target }}:!{{ skip | default('none') }}" cannot be rendered`,
    );
    expect(existsSync(join(dir, 'a')) || existsSync(join(dir, 'b'))).toBe(false);
  });
});
