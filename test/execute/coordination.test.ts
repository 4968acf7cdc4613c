/**
 * Keywords that coordinate hosts and steps: throttle (task, role reference, role definition),
 * run_once, until/retries/delay, and published values with a lifetime. Local transport,
 * four hosts, the real engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { playCli, runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS =
  '[all]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\nh4 ansible_connection=local\n';

/** The log's lines as start/end pairs: true when no two hosts were inside at once. */
function neverOverlapped(log: string): boolean {
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  let inside = 0;
  for (const l of lines) {
    inside += l.startsWith('start') ? 1 : -1;
    if (inside > 1) return false;
  }
  return lines.length === 8;
}

const overlapTask = (log: string) =>
  `shell: 'echo "start {{ inventory_hostname }}" >> ${log}; sleep 0.3; echo "end {{ inventory_hostname }}" >> ${log}'`;

describe('throttle', () => {
  it('throttle: 1 on a task runs it on one host at a time; without it the hosts overlap', async () => {
    const dir = workspace();
    const serial = join(dir, 'serial.log');
    const free = join(dir, 'free.log');
    writeFiles(dir, {
      'hosts.ini': HOSTS,
      'play.yml': `
- hosts: all
  tasks:
    - name: all at once
      ${overlapTask(free)}
    - name: one by one
      ${overlapTask(serial)}
      throttle: 1
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(neverOverlapped(serial)).toBe(true);
    expect(neverOverlapped(free)).toBe(false);
    const plan = r.events.find((e) => e.type === 'plan') as Extract<RunEvent, { type: 'plan' }>;
    expect(plan.nodes.filter((n) => n.item === 'one by one').map((n) => n.throttle)).toEqual([1, 1, 1, 1]);
    expect(plan.nodes.filter((n) => n.item === 'all at once').every((n) => n.throttle === undefined)).toBe(
      true,
    );
  });

  it("a role's own throttle holds whatever --forks says, and --list-tasks shows it", async () => {
    const dir = workspace();
    const log = join(dir, 'role.log');
    writeFiles(dir, {
      'hosts.ini': HOSTS,
      'play.yml': `
- hosts: all
  roles:
    - { role: one-at-a-time, log: ${log} }
  tasks:
    - name: two at a time
      command: "true"
      throttle: 2
`,
    });
    const r = await runLocal(dir, { forks: 10 });
    expect(r.code).toBe(0);
    expect(neverOverlapped(log)).toBe(true);
    const listed = playCli(dir, '--list-tasks');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('role one-at-a-time  throttle: 1');
    expect(listed.stdout).toContain('two at a time (command)  throttle: 2');
  });

  it('refuses a throttle that is not a positive whole number, with its location', () => {
    const r = validateCli('- hosts: all\n  tasks:\n    - command: "true"\n      throttle: 0\n', HOSTS);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: .*throttle must be a whole number of at least 1/);
  });
});

describe('run_once', () => {
  it('runs on the first host only and every host gets the registered result', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': HOSTS,
      'play.yml': `
- hosts: all
  tasks:
    - name: mint
      shell: 'echo x >> ${dir}/mints; echo "minted-by-{{ inventory_hostname }}"'
      run_once: true
      register: minted
    - name: use
      copy: { dest: "${dir}/{{ inventory_hostname }}.out", content: "{{ minted.stdout }}\\n" }
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'mints'), 'utf8')).toBe('x\n');
    expect(steps(r).filter((s) => s.task === 'mint')).toHaveLength(1);
    for (const h of ['h1', 'h2', 'h3', 'h4'])
      expect(readFileSync(join(dir, `${h}.out`), 'utf8')).toBe('minted-by-h1\n');
  });
});

describe('until / retries / delay', () => {
  it('repeats a step until its condition holds, reporting each retry', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `
- hosts: all
  tasks:
    - name: count to three
      shell: 'echo x >> ${dir}/count; wc -l < ${dir}/count'
      register: n
      until: n.stdout | int >= 3
      retries: 5
      delay: 0
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(r.events.filter((e) => e.type === 'retry').map((e) => (e as { attempt: number }).attempt)).toEqual(
      [1, 2],
    );
    expect(
      steps(r)
        .filter((s) => s.task === 'count to three')
        .map((s) => s.status),
    ).toEqual(['changed']);
    expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('x\nx\nx\n');
  });

  it('fails the host when the condition never holds', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `
- hosts: all
  tasks:
    - name: never
      shell: 'echo x >> ${dir}/count; echo no'
      register: out
      until: out.stdout == 'yes'
      retries: 2
      delay: 0
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect(r.events.filter((e) => e.type === 'retry')).toHaveLength(2);
    const last = steps(r).filter((s) => s.task === 'never');
    expect(last).toHaveLength(1);
    expect(last[0].status).toBe('failed');
    expect(last[0].error?.message).toContain('still false after 3 attempt(s)');
    expect(readFileSync(join(dir, 'count'), 'utf8')).toBe('x\nx\nx\n');
  });
});

describe('published values with a lifetime', () => {
  const play = (dir: string, expired: boolean) => `
- hosts: h1
  roles:
    - { role: lease-producer, dir: ${dir}, expired: ${expired} }
- hosts: h2:h3:h4
  roles:
    - { role: lease-consumer, dir: ${dir} }
`;

  it('an expired value is made again by its producer, once for all consumers, and stays secret', async () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(dir, true) });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'mints'), 'utf8')).toBe('x\nx\n');
    for (const h of ['h2', 'h3', 'h4'])
      expect(readFileSync(join(dir, `${h}.lease`), 'utf8')).toBe('lease-2\n');
    const warnings = r.events.filter((e) => e.type === 'warning');
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('has expired; asking h1 for a fresh one');
    expect(JSON.stringify(r.events)).not.toContain('lease-2');
  });

  it('a value still valid is used as it is', async () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(dir, false) });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'mints'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(dir, 'h2.lease'), 'utf8')).toBe('lease-1\n');
    expect(r.events.filter((e) => e.type === 'warning')).toHaveLength(0);
  });
});
