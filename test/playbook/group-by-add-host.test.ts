/**
 * group_by and add_host held to ansible-core 2.19 side by side: the groups each host is in after
 * them (`group_names`, `groups`, a parent group, spaces made dashes), their changed/ok per host,
 * and the later plays whose hosts they decide (`hosts: kind_a`, a host added with its variables)
 * run on the same hosts. A check run grows the inventory too (Ansible's does) and writes nothing.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const HOSTS = 'h1 ansible_connection=local kind=a\nh2 ansible_connection=local kind=b\n';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: by kind
      group_by: { key: "kind_{{ kind }}" }
    - name: by kind again
      group_by: { key: "kind_{{ kind }}" }
    - name: under a parent
      group_by: { key: "two words", parents: [outer] }
    - copy: { dest: "${out}/{{ inventory_hostname }}-groups", content: "{{ group_names }} {{ groups['kind_a'] }}" }
    - name: a new host
      add_host: { name: "h9:2222", groups: [added, kind_b], ansible_connection: local, extra: 1 }
    - name: the same host again
      add_host: { name: "h9:2222", groups: added, ansible_connection: local, extra: 1 }
- hosts: kind_a
  gather_facts: false
  tasks:
    - copy: { dest: "${out}/kind_a-{{ inventory_hostname }}", content: "{{ groups.outer }}" }
- hosts: added
  gather_facts: false
  tasks:
    - copy: { dest: "${out}/added-{{ inventory_hostname }}", content: "{{ group_names }} {{ extra }} {{ ansible_ssh_port }}" }
`;

const files = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('group_by and add_host, as ansible-core 2.19', () => {
  it('grow the inventory as Ansible does, and later plays run on the hosts they decide', async () => {
    const { dir, run, oracle } = await sideBySide(play, { 'hosts.ini': HOSTS });
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    // a group group_by fills lists its hosts in the order they ran the task, which load changes
    // (ansible-playbook printed ["h2", "h1"] once in CI): its members compare as a set
    const members = (f: Record<string, string>) => ({
      ...f,
      'kind_a-h1': JSON.stringify((JSON.parse(f['kind_a-h1'] ?? '[]') as string[]).sort()),
    });
    expect(members(files(join(dir, 'q')))).toEqual(members(files(join(dir, 'a'))));
    expect(members(files(join(dir, 'q')))).toEqual({
      'h1-groups': "['kind_a', 'outer', 'two-words'] ['h1']",
      'h2-groups': "['kind_b', 'outer', 'two-words'] ['h1']",
      'kind_a-h1': '["h1","h2"]',
      'added-h9': "['added', 'kind_b'] 1 2222",
    });
    for (const host of ['h1', 'h2']) {
      const mine = Object.fromEntries(
        steps(run)
          .filter((s) => s.host === host && s.module !== 'copy')
          .map((s) => [s.task, s.status]),
      );
      const theirs = ansibleStatuses(oracle.stdout, host);
      delete theirs.copy;
      expect(mine).toEqual(theirs);
    }
    expect(
      steps(run)
        .filter((s) => s.task === 'a new host')
        .map((s) => [s.host, s.status]),
    ).toEqual([['h1', 'changed']]);
    const recap = run.events.find((e) => e.type === 'recap');
    expect(recap?.type === 'recap' && Object.keys(recap.hosts)).toEqual(['h1', 'h2', 'h9']);
  });

  it('a check run grows the inventory too, plans the later plays there, and writes nothing', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'q'));
    writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(join(dir, 'q')) });
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    expect(
      steps(check)
        .filter((s) => s.task === 'copy')
        .map((s) => [s.host, s.status])
        .sort(),
    ).toEqual([
      ['h1', 'would_change'],
      ['h1', 'would_change'],
      ['h2', 'would_change'],
      ['h9', 'would_change'],
    ]);
    expect(readdirSync(join(dir, 'q'))).toEqual([]);
  });

  it('a host whose group_by fails does not hold the others back, as in Ansible', async () => {
    const failing = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - set_fact: { only_h1: x }
      when: inventory_hostname == 'h1'
    - group_by: { key: "kind_{{ only_h1 }}" }
    - copy: { dest: "${out}/{{ inventory_hostname }}", content: "{{ group_names }}" }
`;
    const { dir, run, oracle } = await sideBySide(failing, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
    });
    expect([run.code, oracle.code]).toEqual([2, 2]);
    expect(files(join(dir, 'q'))).toEqual(files(join(dir, 'a')));
    expect(files(join(dir, 'q'))).toEqual({ h1: '["kind_x"]' });
  });

  it('validate says which plays are planned when they start', () => {
    const r = validateCli(
      '- hosts: all\n  tasks:\n    - group_by: { key: x }\n- hosts: x\n  tasks:\n    - debug: { msg: hi }\n',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/and 1 play\(s\) after group_by\/add_host, planned when they start/);
    expect(r.stderr).not.toMatch(/could not match/);
  });
});
