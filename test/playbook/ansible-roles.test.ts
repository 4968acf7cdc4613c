/**
 * Roles in Ansible's layout, run unchanged: defaults, vars, meta dependencies, task files
 * imported and included (a templated name too), include_vars, loops with loop_control,
 * with_dict, blocks, handlers with meta: flush_handlers, a Jinja2 template; Ansible's
 * variable precedence; a second run and a check run change nothing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { runLocal, steps, validateCli, workspace } from '../helpers/run-local.ts';

function tree(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

function webRole(dir: string) {
  tree(dir, {
    'hosts.ini': `h1 ansible_connection=local base_dir=${dir}/h1 web_port=8080\n`,
    'play.yml':
      '- hosts: all\n  vars: { flavour: blue, os_name: debian, web_conf: /nowhere }\n  roles:\n    - site.web\n',
    'roles/site.base/tasks/main.yml': '- name: base folder\n  file: path={{ base_dir }} state=directory\n',
    'roles/site.web/meta/main.yml': 'dependencies:\n  - site.base\n',
    'roles/site.web/defaults/main.yml':
      'web_port: 80\nweb_root: "{{ base_dir }}/www"\nweb_users: [ann, bob]\nweb_opts: { zeta: 1, alpha: 2 }\n',
    'roles/site.web/vars/main.yml': 'web_conf: "{{ base_dir }}/web.conf"\n',
    'roles/site.web/vars/blue.yml': 'colour: blue\n',
    'roles/site.web/tasks/main.yml': [
      '- include_vars: "{{ flavour }}.yml"',
      '- import_tasks: setup.yml',
      '- include_tasks: "os-{{ os_name }}.yml"',
      '- name: users',
      '  copy: { dest: "{{ base_dir }}/user-{{ u }}", content: "{{ u }}:{{ i }}" }',
      '  loop: "{{ web_users }}"',
      '  loop_control: { loop_var: u, index_var: i, label: "{{ u }}" }',
      '- name: options',
      '  copy: { dest: "{{ base_dir }}/opt-{{ item.key }}", content: "{{ item.value }}" }',
      '  with_dict: "{{ web_opts }}"',
      '- block:',
      '    - name: config',
      '      template: { src: web.conf.j2, dest: "{{ web_conf }}" }',
      '      notify: reload web',
      '  when: web_port | int > 0',
      '- meta: flush_handlers',
      '- name: after the flush',
      '  copy: dest={{ base_dir }}/after content=x',
      '',
    ].join('\n'),
    'roles/site.web/tasks/setup.yml': '- name: web root\n  file: path={{ web_root }} state=directory\n',
    'roles/site.web/tasks/os-debian.yml': '- name: os\n  copy: dest={{ base_dir }}/os content=debian\n',
    'roles/site.web/tasks/os-redhat.yml': '- name: os\n  copy: dest={{ base_dir }}/os content=redhat\n',
    'roles/site.web/templates/web.conf.j2':
      '# {{ ansible_managed }}\nport={{ web_port }}\n{% for k, v in web_opts.items() %}\n{{ k }}={{ v }}\n{% endfor %}\ncolour={{ colour }}\n',
    'roles/site.web/handlers/main.yml':
      '- name: reload web\n  copy: dest={{ base_dir }}/reloaded content="{{ web_port }}"\n',
  });
}

const read = (dir: string, f: string) => readFileSync(join(dir, 'h1', f), 'utf8');
const changes = (events: Array<{ type: string; status?: string }>) =>
  events.filter((e) => e.type === 'step' && (e.status === 'changed' || e.status === 'would_change')).length;

describe('an Ansible role runs as Ansible runs it', () => {
  it('converges, keeps Ansible precedence and order, then changes nothing', async () => {
    const dir = workspace();
    webRole(dir);
    const first = await runLocal(dir);
    expect(first.code).toBe(0);
    // inventory beats role defaults; role vars beat play vars; dict order as written
    expect(read(dir, 'web.conf')).toBe('# Ansible managed\nport=8080\nzeta=1\nalpha=2\ncolour=blue\n');
    expect(read(dir, 'user-bob')).toBe('bob:1');
    expect(read(dir, 'opt-alpha')).toBe('2');
    expect(read(dir, 'os')).toBe('debian');
    expect(read(dir, 'reloaded')).toBe('8080');
    // the handler ran at the flush, before the task after it
    const order = first.events.map((e) =>
      'handler' in e ? `handler:${e.handler}` : 'task' in e ? String(e.task) : '',
    );
    expect(order.indexOf('handler:reload web')).toBeLessThan(order.indexOf('site.web : after the flush'));
    // the dependency ran first
    const tasks = first.events.filter((e) => e.type === 'step').map((e) => (e as { task: string }).task);
    expect(tasks[0]).toBe('site.base : base folder');

    const again = await runLocal(dir);
    expect(again.code).toBe(0);
    expect(changes(again.events)).toBe(0);
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    expect(changes(check.events)).toBe(0);

    // -e beats everything
    await runLocal(dir, { extraVars: { web_port: 9090 } });
    expect(read(dir, 'web.conf')).toContain('port=9090\n');
  });

  it('a role entry passes its vars: and params to the role, above the role defaults', async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': `h1 ansible_connection=local out=${dir}\n`,
      'play.yml': '- hosts: all\n  roles:\n    - { role: site.greet, vars: { who: world }, greeting: hi }\n',
      'roles/site.greet/defaults/main.yml': 'who: nobody\ngreeting: hello\n',
      'roles/site.greet/tasks/main.yml':
        '- copy: { dest: "{{ out }}/said", content: "{{ greeting }} {{ who }}" }\n',
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'said'), 'utf8')).toBe('hi world');
  });

  it('a site Ansible role shadows the built-in TypeScript role of that name', async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': `h1 ansible_connection=local out=${dir}/out\n`,
      'play.yml': '- hosts: all\n  roles:\n    - containerd\n',
      'roles/containerd/tasks/main.yml': '- copy: dest={{ out }} content=site-role\n',
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('site-role');
  });

  it.each([
    [
      'an include of a missing file',
      '- include_tasks: nope.yml\n',
      /main\.yml:1:\d+: included file nope\.yml does not exist/,
    ],
    [
      'a keyword a block does not take (Ansible refuses it too)',
      '- block:\n    - debug: { msg: x }\n  loop: [1, 2]\n',
      /main\.yml:3:\d+: loop is not supported on a block/,
    ],
    [
      'a meta Ansible lacks too',
      '- meta: end_everything\n',
      /main\.yml:1:\d+: meta: end_everything is not supported/,
    ],
    [
      'a with_* lookup neither quorum nor a Python plugin has',
      "- debug: { msg: x }\n  with_no_such_lookup: ['example.org']\n",
      /main\.yml:2:3: with_no_such_lookup is not supported/,
    ],
    [
      'an unknown module',
      '- name: x\n  community.general.nmcli: { conn_name: x }\n',
      /main\.yml:2:\d+: unknown module or task keyword "community\.general\.nmcli"/,
    ],
  ])('%s is refused with its place before any host', (_name, tasks, message) => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': '- hosts: all\n  roles: [site.bad]\n',
      'roles/site.bad/tasks/main.yml': tasks,
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

describe('block, rescue and always', () => {
  const play = (out: string, rescue: boolean) =>
    [
      '- hosts: all',
      '  tasks:',
      '    - block:',
      `        - copy: dest=${out}/one content=1`,
      '        - name: breaks',
      '          command: "false"',
      `        - copy: dest=${out}/never content=x`,
      ...(rescue
        ? ['      rescue:', `        - copy: dest=${out}/rescued content="{{ ansible_failed_task.name }}"`]
        : []),
      '      always:',
      `        - copy: dest=${out}/always content=a`,
      `    - copy: dest=${out}/after content=z`,
      '',
    ].join('\n');
  const exists = (dir: string, f: string) => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return undefined;
    }
  };

  it('a failure in the block skips its rest, runs rescue and always, and the play goes on', async () => {
    const dir = workspace();
    tree(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play(dir, true) });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect([
      exists(dir, 'one'),
      exists(dir, 'never'),
      exists(dir, 'rescued'),
      exists(dir, 'always'),
      exists(dir, 'after'),
    ]).toEqual(['1', undefined, 'breaks', 'a', 'z']);
    expect(r.events.find((e) => e.type === 'recap')).toMatchObject({
      hosts: { h1: { failed: 0, rescued: 1 } },
    });
  });

  it('without rescue, always runs and then the host fails, as Ansible re-raises', async () => {
    const dir = workspace();
    tree(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play(dir, false) });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect([exists(dir, 'never'), exists(dir, 'always'), exists(dir, 'after')]).toEqual([
      undefined,
      'a',
      undefined,
    ]);
  });
});

describe('hostvars', () => {
  it("a template reads every host's inventory vars and the play hosts' facts", async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': `[web]\nh1 ansible_connection=local port=8081\nh2 ansible_connection=local port=8082\n[all:vars]\nout=${dir}\n`,
      'backends.j2':
        "{% for h in groups['web'] %}\nserver {{ h }} {{ hostvars[h]['port'] }} {{ hostvars[h].ansible_system }}\n{% endfor %}\n",
      'play.yml':
        '- hosts: all\n  tasks:\n    - template: { src: backends.j2, dest: "{{ out }}/{{ inventory_hostname }}.cfg" }\n',
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'h1.cfg'), 'utf8')).toBe('server h1 8081 Linux\nserver h2 8082 Linux\n');
  });
});

describe('package_facts', () => {
  it('adds the installed packages to ansible_facts, beside the gathered facts', async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  tasks:\n    - package_facts:\n    - name: said\n      debug: { msg: "{{ \'bash\' in ansible_facts.packages }} {{ ansible_facts.packages.bash[0].source }} {{ ansible_facts.os_family }}" }\n',
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(r.events.find((e) => e.type === 'step' && e.task === 'said')).toMatchObject({
      message: 'True apt Debian',
    });
  });
});

describe('with_fileglob and play environment', () => {
  it("loops over the role's files matching a glob; a play's environment reaches its tasks", async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': `h1 ansible_connection=local out=${dir}/out\n`,
      'play.yml':
        '- hosts: all\n  environment: { MARK: from-play }\n  pre_tasks:\n    - file: { path: "{{ out }}", state: directory }\n  roles: [site.confs]\n',
      'roles/site.confs/files/conf.d/a.conf': 'a\n',
      'roles/site.confs/files/conf.d/b.conf': 'b\n',
      'roles/site.confs/files/conf.d/skip.txt': 'x\n',
      'roles/site.confs/tasks/main.yml':
        '- copy: { src: "{{ item }}", dest: "{{ out }}/{{ item | basename }}" }\n  with_fileglob: ["conf.d/*.conf"]\n- shell: echo "$MARK" > {{ out }}/mark\n',
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect([
      readFileSync(join(dir, 'out/a.conf'), 'utf8'),
      readFileSync(join(dir, 'out/b.conf'), 'utf8'),
      readFileSync(join(dir, 'out/mark'), 'utf8'),
    ]).toEqual(['a\n', 'b\n', 'from-play\n']);
  });
});

describe('includes only some hosts run', () => {
  it('a file holding what quorum lacks fails only a host that would run it, with its place, said up front', async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': `deb ansible_connection=local os=debian out=${dir}/deb\nbsd ansible_connection=local os=freebsd out=${dir}/bsd\n`,
      'play.yml': '- hosts: all\n  roles: [site.os]\n',
      'roles/site.os/tasks/main.yml':
        '- include_tasks: "setup-{{ os }}.yml"\n- copy: { dest: "{{ out }}", content: done }\n',
      'roles/site.os/tasks/setup-debian.yml': '- debug: { msg: debian }\n',
      'roles/site.os/tasks/setup-freebsd.yml': '- name: bsd packages\n  pkgng: { name: nginx }\n',
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'deb'), 'utf8')).toBe('done');
    expect(() => readFileSync(join(dir, 'bsd'))).toThrow();
    const warning = r.events.find((e) => e.type === 'warning') as { message: string };
    expect(warning.message).toMatch(/setup-freebsd\.yml:2:3: unknown module or task keyword "pkgng"/);
    const failed = r.events.find((e) => e.type === 'step' && e.status === 'failed') as {
      host: string;
      error: { message: string };
    };
    expect(failed.host).toBe('bsd');
    expect(failed.error.message).toMatch(/setup-freebsd\.yml:2:3/);
    // validate says it too, and passes: a host may never reach it
    const v = quorum([
      'validate',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '--roles-path',
      join(dir, 'roles'),
    ]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(/^warning: an include names a file quorum cannot run.*setup-freebsd\.yml:2:3/m);
  });

  it('an include under `when: true` runs on every host: validate refuses what it holds, with its place', () => {
    const v = validateCli(
      '- hosts: all\n  tasks:\n    - include_tasks: inc.yml\n      when: true\n',
      undefined,
      {
        'inc.yml': '- debug: { msg: "{{ 1 | frobnicate }}" }\n',
      },
    );
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(
      /^error: [^\n]*inc\.yml:1:\d+: unknown filter "frobnicate"[^\n]*in "\{\{ 1 \| frobnicate \}\}"$/m,
    );
  });

  it("a block's notify reaches its tasks' changes", async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': `h1 ansible_connection=local out=${dir}\n`,
      'play.yml':
        '- hosts: all\n  tasks:\n    - block:\n        - copy: { dest: "{{ out }}/conf", content: x }\n      notify: reload\n  handlers:\n    - name: reload\n      copy: { dest: "{{ out }}/reloaded", content: y }\n',
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'reloaded'), 'utf8')).toBe('y');
  });
});

describe('set_fact in check mode', () => {
  it('passes a value known after apply on, changing nothing; what uses it is a prediction', async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n    - command: echo hi\n      register: out\n    - set_fact: { said: "{{ out.stdout }}" }\n    - copy: { dest: ${dir}/said, content: "{{ said }}" }\n`,
    });
    const r = await runLocal(dir, { check: true });
    expect(r.code).toBe(0);
    const byModule = Object.fromEntries(steps(r).map((s) => [s.module, s]));
    expect(byModule.set_fact).toMatchObject({ status: 'ok' });
    expect(byModule.copy).toMatchObject({ status: 'would_change', prediction: true });
  });
});

describe('environment', () => {
  it('exports its variables (templates rendered) for the task, and a block passes them on', async () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local who=world\n',
      'play.yml': [
        '- hosts: all',
        '  tasks:',
        '    - block:',
        `        - shell: echo "$GREETING $TARGET" > ${dir}/out`,
        '          environment: { TARGET: "{{ who }}" }',
        '      environment: { GREETING: "hello there" }',
        '',
      ].join('\n'),
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('hello there world\n');
  });
});

describe.runIf(process.getuid?.() === 0)('become_user', () => {
  it("runs the task's commands and writes as that user, reached through root", async () => {
    const dir = workspace();
    chmodSync(dir, 0o777);
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': [
        '- hosts: all',
        '  tasks:',
        '    - command: id -un',
        '      become: true',
        '      become_user: nobody',
        '      register: who',
        `    - copy: { dest: ${dir}/mine, content: "{{ who.stdout }}" }`,
        '      become_user: nobody',
        '      become: true',
        '',
      ].join('\n'),
    });
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'mine'), 'utf8')).toBe('nobody');
    expect(statSync(join(dir, 'mine')).uid).toBe(
      Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })),
    );
    // converged: the second run changes nothing
    const again = await runLocal(dir);
    expect(
      again.events.filter((e) => e.type === 'step' && e.status === 'changed' && e.module !== 'command'),
    ).toEqual([]);
  });

  it('a become_method quorum lacks is refused with its place', () => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': '- hosts: all\n  tasks:\n    - command: id\n      become_method: runas\n',
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: become_method runas is not supported/);
  });
});

describe('the corpus of public roles (test/corpus/roles)', () => {
  const roles = readdirSync(join(import.meta.dirname, '../corpus/roles')).sort();
  it('holds the geerlingguy set and 10 roles of 6 other authors', () => {
    const others = roles.filter((r) => !r.startsWith('geerlingguy.'));
    expect(others.length).toBeGreaterThanOrEqual(10);
    expect(new Set(others.map((r) => r.split('.')[0]))).toEqual(
      new Set(['robertdebock', 'oefenweb', 'hifis', 'mrlesmithjr', 'weareinteractive', 'nickhammond']),
    );
  });
  it.each(roles)('%s validates unchanged, every task accepted', (role) => {
    const dir = workspace();
    tree(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  roles:\n    - ${role}\n`,
    });
    const corpus = join(import.meta.dirname, '../corpus/roles');
    const r = quorum([
      'validate',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '--roles-path',
      corpus,
    ]);
    // only the files of other systems' setups (pkgng, openbsd_pkg, zypper, pkg5) are named, as warnings
    const lines = r.stderr.split('\n').filter(Boolean);
    const other =
      /^warning: an include names a file quorum cannot run; .*\/setup-(FreeBSD|OpenBSD|Suse|Solaris)\.yml:\d+:\d+: /;
    expect(lines.filter((l) => !other.test(l))).toEqual([]);
    expect(r.code).toBe(0);
  });
});
