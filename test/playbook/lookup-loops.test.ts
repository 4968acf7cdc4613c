/**
 * with_lines, with_inventory_hostnames, with_random_choice and their lookups, and
 * loop_control.pause, held to ansible-core 2.19 side by side: the same items, the same files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const HOSTS =
  'h1 ansible_connection=local\n[web]\nh2 ansible_connection=local\nh3 ansible_connection=local\n';

const play = (out: string) => `
- hosts: h1
  gather_facts: false
  tasks:
    - name: lines
      copy: { content: "{{ item }}\\n", dest: "${out}/line-{{ item }}" }
      with_lines: "printf 'a\\\\nb\\\\n\\\\nc'"
    - name: hosts but web
      copy: { content: "{{ item }}\\n", dest: "${out}/host-{{ item }}" }
      with_inventory_hostnames: "all:!web"
    - name: one choice
      copy: { content: "{{ item }}\\n", dest: "${out}/choice" }
      with_random_choice: [only]
    - name: paused
      copy: { content: "{{ item }}\\n", dest: "${out}/paused-{{ item }}" }
      loop: [1, 2]
      loop_control: { pause: 1 }
    - name: lookups
      copy:
        dest: ${out}/lookups
        content: |
          {{ lookup('lines', 'printf "x\\\\ny"') }}
          {{ query('inventory_hostnames', 'web') }}
          {{ lookup('inventory_hostnames', 'all') }}
          {{ query('lines', 'true') }}
`;

describe('lookup loops and loop_control.pause, as ansible-core 2.19', () => {
  it('gives the same items and files', async () => {
    const { out, run, oracle } = await sideBySide(play, { 'hosts.ini': HOSTS });
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const statuses = Object.fromEntries(
      steps(run).map((s) => [`${s.task} ${JSON.stringify(s.item)}`, s.status]),
    );
    expect(Object.values(statuses).every((s) => s === 'changed')).toBe(true);
    expect(Object.keys(ansibleStatuses(oracle.stdout))).toEqual([
      'lines',
      'hosts but web',
      'one choice',
      'paused',
      'lookups',
    ]);
    const files = [
      'line-a',
      'line-b',
      'line-',
      'line-c',
      'host-h1',
      'choice',
      'paused-1',
      'paused-2',
      'lookups',
    ];
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    for (const f of files) expect(read(out.quorum, f), f).toBe(read(out.ansible, f));
    expect(read(out.quorum, 'lookups')).toBe("x,y\n['h2', 'h3']\nh1,h2,h3\n[]\n");
  }, 60_000);

  it('loop_control.pause waits between items (a lower bound: the pauses happened)', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{ item }}" }\n      loop: [1, 2, 3]\n      loop_control: { pause: 1 }\n',
    });
    const started = Date.now();
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    expect(steps(run)).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  }, 60_000);
});
