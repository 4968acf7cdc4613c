/**
 * include_tasks and include_role as ansible-core 2.19 runs them (dynamic): a loop runs the
 * included tasks once per item; the include's own `when` is asked once, where it stands (an
 * enclosing block's `when` is asked again of each task); its tags select the include, not the
 * tasks in it. Held to ansible-playbook on the same plays: which debug messages each host
 * printed, and the recap's ok / changed / rescued counts.
 */
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS = ['h1', 'h2']
  .map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`)
  .join('');

const LOOPED = {
  'play.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: inner.yml
      loop: [a, b, c]
      loop_control: { loop_var: pkg, index_var: i }
      when: pkg != 'a' or inventory_hostname == 'h1'
    - debug: { msg: "seen {{ seen }}" }
  handlers:
    - name: hh
      debug: { msg: "handler {{ inventory_hostname }}" }
`,
  'inner.yml': `
- debug: { msg: "inner {{ inventory_hostname }} {{ pkg }} {{ i }}" }
- set_fact: { seen: "{{ (seen | default([])) + [pkg] }}" }
- block:
    - fail: { msg: boom }
      when: pkg == 'b'
    - debug: { msg: "after fail {{ pkg }}" }
  rescue:
    - debug: { msg: "rescued {{ pkg }}" }
- debug: { msg: "tagged {{ pkg }}" }
  tags: [t1]
- command: "true"
  notify: hh
  changed_when: pkg == 'c'
`,
};

const ONCE = {
  'play.yml': `
- hosts: h1
  gather_facts: false
  tasks:
    - include_tasks: two.yml
    - include_tasks: two.yml
      tags: [t2]
    - import_tasks: two.yml
      tags: [t2]
    - include_tasks: sets.yml
      when: not (done | default(false))
    - set_fact: { done: false }
    - block:
        - include_tasks: sets.yml
      when: not (done | default(false))
    - include_role: { name: greet }
      loop: [x, y]
      when: item != 'y'
`,
  'two.yml': `
- debug: { msg: untagged }
- debug: { msg: tagged t1 }
  tags: [t1]
`,
  'sets.yml': `
- set_fact: { done: true }
- debug: { msg: "after set_fact" }
`,
  'roles/greet/tasks/main.yml': `
- debug: { msg: "greet {{ item }} {{ greeting }}" }
`,
  'roles/greet/defaults/main.yml': 'greeting: hello\n',
};

interface Printed {
  code: number;
  byHost: Record<string, string[]>;
  recap: Record<string, { ok: number; changed: number; rescued: number }>;
}

async function both(files: Record<string, string>, tags: string[] = []) {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': HOSTS, ...files });
  const [run, oracle] = await Promise.all([
    runLocal(dir, { tags }),
    ansibleCurrent(
      'ansible-playbook',
      ['-i', 'hosts.ini', 'play.yml', ...tags.flatMap((t) => ['--tags', t])],
      dir,
    ),
  ]);
  const ansible: Printed = { code: oracle.code, byHost: {}, recap: {} };
  for (const m of oracle.stdout.matchAll(/ok: \[(h\d)\] => \{\s*"msg": "([^"]*)"/g))
    (ansible.byHost[m[1]] ??= []).push(m[2]);
  for (const m of oracle.stdout.matchAll(/^(h\d)\s+: ok=(\d+)\s+changed=(\d+).*rescued=(\d+)/gm))
    ansible.recap[m[1]] = { ok: Number(m[2]), changed: Number(m[3]), rescued: Number(m[4]) };
  const quorum: Printed = { code: run.code, byHost: {}, recap: {} };
  for (const s of steps(run).filter((s) => s.module === 'debug' && s.status === 'ok'))
    (quorum.byHost[s.host] ??= []).push(String(s.message));
  const recap = run.events.find((e) => e.type === 'recap');
  if (recap?.type === 'recap')
    for (const [h, r] of Object.entries(recap.hosts))
      quorum.recap[h] = { ok: r.ok, changed: r.changed, rescued: r.rescued };
  return { ansible, quorum, stdout: oracle.stdout, dir };
}

/** Each host's messages as a set; "seen ..." lists the order the items ran in, compared apart. */
const sorted = (byHost: Record<string, string[]>) =>
  Object.fromEntries(
    Object.entries(byHost).map(([h, l]) => [h, l.filter((m) => !m.startsWith('seen')).sort()]),
  );

describe('include_tasks and include_role, dynamic, as ansible-playbook 2.19', () => {
  it('a loop runs the included tasks per item: loop_var, index_var, when per item, rescue, handler', async () => {
    const r = await both(LOOPED);
    expect(r.ansible.code, r.stdout).toBe(0);
    expect(r.quorum.code).toBe(0);
    // Ansible runs the item files shared by both hosts first when their host sets differ (h1's
    // "a" after "c": seen ['b', 'c', 'a']): the same messages; quorum keeps each host's item order
    expect(sorted(r.quorum.byHost)).toEqual(sorted(r.ansible.byHost));
    expect(r.quorum.recap).toEqual(r.ansible.recap);
    expect(r.quorum.byHost.h1).toEqual([
      ...['inner h1 a 0', 'after fail a', 'tagged a'],
      ...['inner h1 b 1', 'rescued b', 'tagged b'],
      ...['inner h1 c 2', 'after fail c', 'tagged c'],
      "seen ['a', 'b', 'c']",
      'handler h1',
    ]);
    expect(r.quorum.byHost.h2).toContain("seen ['b', 'c']");
  });

  it('tags select the include, not its tasks: an untagged include_tasks runs nothing under --tags', async () => {
    const r = await both(LOOPED, ['t1']);
    expect(r.quorum.byHost).toEqual(r.ansible.byHost);
    expect(r.quorum.byHost).toEqual({});
  });

  it("the include's own when is asked once; a block's when around it, of every task; include_role loops", async () => {
    const r = await both(ONCE);
    expect(r.ansible.code, r.stdout).toBe(0);
    expect(r.quorum.byHost).toEqual(r.ansible.byHost);
    expect(r.quorum.byHost.h1).toEqual([
      ...['untagged', 'tagged t1', 'untagged', 'tagged t1', 'untagged', 'tagged t1'],
      'after set_fact',
      'greet x hello',
    ]);
  });

  it.each([['t1'], ['t2']])('--tags %s: the include tagged t2 runs only its tasks tagged t2', async (tag) => {
    const r = await both(ONCE, [tag]);
    expect(r.quorum.byHost).toEqual(r.ansible.byHost);
    // t1 reaches only the import's tagged task; t2 only the import's tasks (they inherit t2)
    expect(r.quorum.byHost.h1).toEqual(tag === 't1' ? ['tagged t1'] : ['untagged', 'tagged t1']);
  });
});

describe('the tasks of an include_tasks that did not happen, as ansible-playbook 2.19', () => {
  it('are neither run nor reported, and register nothing (geerlingguy.nfs setup-RedHat.yml)', async () => {
    const r = await both({
      'play.yml': `
- hosts: all
  gather_facts: false
  vars: { family: Debian }
  tasks:
    - include_tasks: skipped.yml
      when: false
    - include_tasks: "setup-{{ family }}.yml"
    - debug: { msg: "r {{ r is defined }} s {{ s is defined }}" }
`,
      'skipped.yml': '- debug: { msg: never }\n  register: r\n',
      'setup-Debian.yml': '- debug: { msg: debian }\n',
      'setup-RedHat.yml': '- debug: { msg: redhat }\n  register: s\n',
    });
    expect(r.ansible.code, r.stdout).toBe(0);
    expect(r.quorum.byHost).toEqual(r.ansible.byHost);
    expect(r.quorum.byHost.h1).toEqual(['debian', 'r False s False']);
    const run = await runLocal(r.dir);
    const reported = steps(run)
      .filter((s) => s.host === 'h1' && s.module === 'debug')
      .map((s) => s.message ?? s.status);
    expect(reported).toEqual(['debian', 'r False s False']);
  });
});

describe('where real roles put their includes, as ansible-playbook 2.19', () => {
  it("args: {apply: ...} on include_tasks, and a role's tasks/x.yml named from tasks/main.yml", async () => {
    const files = {
      'play.yml': '- hosts: all\n  gather_facts: false\n  roles: [r]\n',
      'roles/r/tasks/main.yml': `
- include_tasks: tasks/vars.yml
- include_tasks: inner.yml
  args:
    apply:
      tags: [t1]
  tags: [always]
`,
      'roles/r/tasks/vars.yml': '- debug: { msg: "from tasks/vars.yml" }\n',
      'roles/r/tasks/inner.yml': '- debug: { msg: "applied" }\n',
    };
    const r = await both(files, ['t1']);
    expect(r.quorum.byHost).toEqual(r.ansible.byHost);
    // under --tags t1: the untagged include runs nothing; the one tagged always runs its tasks tagged by apply
    expect(r.quorum.byHost.h1).toEqual(['applied']);
    const all = await both(files);
    expect(all.quorum.byHost).toEqual(all.ansible.byHost);
    expect(all.quorum.byHost.h1).toEqual(['from tasks/vars.yml', 'applied']);
  });
});

describe('validate sees into looped includes', () => {
  it("refuses a looped include's task with a wrong parameter, at its key, per item known now", () => {
    const r = validateCli(
      '- hosts: all\n  tasks:\n    - include_tasks: inner.yml\n      loop: [a, b]\n',
      HOSTS,
      { 'inner.yml': '- file:\n    path: "/tmp/{{ item }}"\n    state: dirctory\n' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/inner\.yml:3:5: file: parameter "state" is "dirctory"/);
  });

  it('refuses a loop on import_tasks, as ansible-core does, with what to write instead', () => {
    const r = validateCli('- hosts: all\n  tasks:\n    - import_tasks: inner.yml\n      loop: [a]\n', HOSTS, {
      'inner.yml': '- debug: {}\n',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:7: import_tasks cannot have loop/);
    expect(r.stderr).toContain('include_tasks runs its file once per item');
  });

  it("refuses the removed 'include' action before any host, as ansible-core 2.19 does (jnv.unattended-upgrades)", async () => {
    const play = '- hosts: all\n  gather_facts: false\n  tasks:\n    - include: inner.yml\n';
    const r = validateCli(play, HOSTS, { 'inner.yml': '- debug: {}\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:7: the 'include' action was removed/);
    expect(r.stderr).toContain('include_tasks');
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': play,
      'inner.yml': '- debug: {}\n',
    });
    const ansible = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml'], dir);
    expect(ansible.code).not.toBe(0);
    expect(ansible.stdout + ansible.stderr).toContain(
      "'ansible.builtin.include' action plugin has been removed",
    );
  });

  it("skips what an include's own when rules out now, as it did when the when was the tasks'", () => {
    const r = validateCli(
      '- hosts: all\n  vars: { use_ppa: false }\n  tasks:\n    - include_tasks: inner.yml\n      when: use_ppa\n',
      HOSTS,
      { 'inner.yml': '- debug: { msg: "{{ ppa_name }}" }\n' },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
