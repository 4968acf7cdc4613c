/**
 * A project's ansible.cfg, read by quorum as ansible-core 2.19 reads it: the same folder run
 * through `quorum play` and `ansible-playbook` (each in the folder, no -i), held to the same
 * tasks' statuses per host and the same written bytes.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses } from '../helpers/side-by-side.ts';

const CFG = `# a project's config, as users write them
[defaults]
inventory = inv/hosts.ini      ; relative to this file's folder
roles_path = galaxy:other
gathering = explicit
any_errors_fatal = True
ansible_managed = Managed: {file} by {uid} on {host}, %Y
stdout_callback = default
retry_files_enabled = False

[privilege_escalation]
become_user = nobody

[tags]
skip = skipme

[ssh_connection]
pipelining = True
ssh_args = -C -o ControlMaster=auto -o ControlPersist=60s
`;

const PLAY = (out: string) => `- hosts: all
  tasks:
    - name: a role from roles_path
      include_role: { name: site }
    - name: facts
      copy: { content: "{{ ansible_facts | length }}\\n", dest: "${out}/{{ inventory_hostname }}-facts" }
    - name: whoami become
      command: whoami
      become: true
      # su as root needs no password (this machine has no sudo); nobody's login shell is nologin
      become_method: su
      become_flags: -s /bin/sh
      register: who
      changed_when: false
    - name: whoami with become_user alone
      command: whoami
      become_user: nobody
      register: plain
      changed_when: false
    - name: users
      copy: { content: "{{ who.stdout }} {{ plain.stdout }}\\n", dest: "${out}/{{ inventory_hostname }}-users" }
    - name: skipped by the config's tags
      copy: { content: "x", dest: "${out}/{{ inventory_hostname }}-skipme" }
      tags: [skipme]
    - name: h2 fails
      fail: { msg: stop }
      when: inventory_hostname == 'h2'
    - name: after the failure
      copy: { content: "after", dest: "${out}/{{ inventory_hostname }}-after" }
`;

function project(): { dir: string; q: string; a: string } {
  const dir = workspace();
  const q = join(dir, 'q');
  const a = join(dir, 'a');
  writeFiles(dir, {
    'ansible.cfg': CFG,
    'inv/hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
    'other/site/tasks/main.yml': `- template: { src: t.j2, dest: "{{ out }}/{{ inventory_hostname }}-managed" }\n`,
    'other/site/templates/t.j2':
      '# {{ ansible_managed }}\nhost={{ template_host }} path={{ template_path }} uid={{ template_uid }} full={{ template_fullpath | basename }}\n',
    'q.yml': PLAY(q),
    'a.yml': PLAY(a),
    'q/.keep': '',
    'a/.keep': '',
  });
  return { dir, q, a };
}

/** quorum's status of each task on a host, by task name (a role's include as Ansible names it aside). */
function quorumStatuses(stdout: string, host: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.type === 'step' && e.host === host) out[e.task] = e.status;
  }
  return out;
}

describe('ansible.cfg, as ansible-core 2.19 reads it', () => {
  it('takes inventory, roles_path, gathering, any_errors_fatal, become_user, tags and ansible_managed from the project folder', async () => {
    const { dir, q, a } = project();
    const [run, oracle] = await Promise.all([
      Promise.resolve(quorum(['play', 'q.yml', '--json', '--no-journal', '-e', `out=${q}`], { cwd: dir })),
      ansibleCurrent('ansible-playbook', ['a.yml', '-e', `out=${a}`], dir),
    ]);
    // h2 fails and, any_errors_fatal, stops h1 too: both engines exit 2
    expect(oracle.code, oracle.stdout).toBe(2);
    expect(run.code, run.stderr).toBe(2);
    for (const host of ['h1', 'h2']) {
      const theirs = ansibleStatuses(oracle.stdout, host);
      const ours = quorumStatuses(run.stdout, host);
      for (const task of ['facts', 'whoami become', 'whoami with become_user alone', 'users', 'h2 fails'])
        expect([host, task, ours[task]]).toEqual([host, task, theirs[task]]);
      expect(ours['after the failure']).toBeUndefined();
      expect(theirs['after the failure']).toBeUndefined();
      expect(ours["skipped by the config's tags"]).toBeUndefined();
      for (const file of ['managed', 'facts', 'users'])
        expect(readFileSync(join(q, `${host}-${file}`), 'utf8')).toBe(
          readFileSync(join(a, `${host}-${file}`), 'utf8'),
        );
    }
    // gathering = explicit: no facts; become_user from the config, and none without become
    expect(readFileSync(join(q, 'h1-facts'), 'utf8')).toBe('0'); // 2.19's native types: the int 0
    expect(readFileSync(join(q, 'h1-users'), 'utf8')).toBe('nobody root\n');
    expect(readFileSync(join(q, 'h1-managed'), 'utf8')).toMatch(
      /^# Managed: t\.j2 by \S+ on \S+, \d{4}\nhost=/,
    );
  });

  it('refuses a setting quorum would not honour with its file:line:col, before any host, and warns of unknown keys', () => {
    const { dir } = project();
    writeFiles(dir, {
      'ansible.cfg': `${CFG}\n[defaults]\n`.replace(
        'gathering = explicit\n',
        'gathering = explicit\nhash_behaviour = merge\ncallback_whitelist = profile_tasks\n',
      ),
    });
    const r = quorum(['validate', 'q.yml', '-e', 'out=/nonexistent'], { cwd: dir });
    // a section given twice is configparser's error, with its line
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /ansible\.cfg:\d+:1: Error reading config file .*section 'defaults' already exists/,
    );

    writeFiles(dir, {
      'ansible.cfg': CFG.replace(
        'gathering = explicit\n',
        'gathering = explicit\nhash_behaviour = merge\ncallback_whitelist = profile_tasks\n',
      ),
    });
    const refused = quorum(['validate', 'q.yml', '-e', 'out=/nonexistent'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${join(dir, 'ansible.cfg')}:6:1: [defaults] hash_behaviour = merge: quorum does not take this setting`,
    );

    writeFiles(dir, {
      'ansible.cfg': CFG.replace(
        'gathering = explicit\n',
        'gathering = explicit\ncallback_whitelist = profile_tasks\n',
      ),
    });
    const warned = quorum(['validate', 'q.yml', '-e', 'out=/nonexistent'], { cwd: dir });
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain(
      `${join(dir, 'ansible.cfg')}:6: [defaults] callback_whitelist is not a setting of ansible-core 2.19; ignored, as Ansible ignores it`,
    );
    // the environment beats the file, as in Ansible, and is refused by its name
    const env = quorum(['validate', 'q.yml', '-e', 'out=/x'], {
      cwd: dir,
      env: { ANSIBLE_HASH_BEHAVIOUR: 'merge' },
    });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('ANSIBLE_HASH_BEHAVIOUR=merge: quorum does not take this setting');
  });

  it('reads ANSIBLE_CONFIG (a file or a folder) first, and skips ./ansible.cfg in a world-writable folder as Ansible does', () => {
    const { dir } = project();
    const elsewhere = workspace();
    writeFiles(elsewhere, { 'ansible.cfg': '[defaults]\ninventory = /nonexistent/hosts\n' });
    const viaEnv = quorum(['validate', 'q.yml', '-e', 'out=/x'], {
      cwd: dir,
      env: { ANSIBLE_CONFIG: elsewhere },
    });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr).toContain('/nonexistent/hosts');
    const ok = quorum(['validate', 'q.yml', '-e', 'out=/x'], { cwd: dir });
    expect(ok.stdout).toContain('on 2 host(s)');
    chmodSync(dir, 0o777);
    const skipped = quorum(['validate', 'q.yml', '-e', 'out=/x'], { cwd: dir });
    chmodSync(dir, 0o700);
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toContain('no inventory given');
  });
});

describe("ansible-playbook's options that set a setting", () => {
  it('-c local, -b, --become-user, --become-method as ansible-playbook 2.19 takes them; --syntax-check', async () => {
    const dir = workspace();
    const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: as whom
      command: whoami
      become_flags: -s /bin/sh
      register: r
    - name: login user
      set_fact: { login: "{{ ansible_user | default('') }}" }
    - name: write
      become: false
      copy: { dest: "${out}/{{ inventory_hostname }}", content: "{{ r.stdout }} {{ login }}\\n" }
`;
    writeFiles(dir, {
      'hosts.ini': 'h1\nh2 ansible_become_user=daemon\n',
      'q.yml': play(join(dir, 'q')),
      'a.yml': play(join(dir, 'a')),
      'q/.keep': '',
      'a/.keep': '',
    });
    const options = [
      '-i',
      'hosts.ini',
      '-c',
      'local',
      '-b',
      '--become-user',
      'nobody',
      '--become-method',
      'su',
    ];
    const [run, oracle] = await Promise.all([
      Promise.resolve(quorum(['play', 'q.yml', ...options, '--no-journal'], { cwd: dir })),
      ansibleCurrent('ansible-playbook', ['a.yml', ...options], dir),
    ]);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    for (const host of ['h1', 'h2'])
      expect(readFileSync(join(dir, 'q', host), 'utf8')).toBe(readFileSync(join(dir, 'a', host), 'utf8'));
    expect(readFileSync(join(dir, 'q', 'h2'), 'utf8')).toBe('daemon \n');
    // --syntax-check checks offline, as validate, and prints what ansible-playbook prints
    const syntax = quorum(['play', 'q.yml', ...options, '--syntax-check'], { cwd: dir });
    expect([syntax.code, syntax.stdout]).toEqual([0, '\nplaybook: q.yml\n']);
  });
});
