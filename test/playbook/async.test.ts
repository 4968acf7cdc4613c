/**
 * `async` with `poll`: the task runs to its end within `async` seconds, or fails as Ansible
 * fails it. Held to ansible-playbook 2.19 running the same play; `poll: 0` is refused before
 * any host is touched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEnds, validateCli } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) =>
  [
    '- hosts: all',
    '  gather_facts: false',
    '  tasks:',
    '    - name: within its time',
    '      shell: sleep 0.2; echo done',
    '      async: 20',
    '      poll: 1',
    '      register: quick',
    `    - copy: { dest: ${out}/quick, content: "{{ quick.stdout }}" }`,
    '    - name: past its time',
    `      shell: sleep 4; touch ${out}/late`,
    '      async: 1',
    '      poll: 1',
    '',
  ].join('\n');

describe('async and poll', () => {
  it('bound a task by its seconds, as ansible-core 2.19 does', async () => {
    // the job's results in a folder of the test (the oracle's HOME is a throw-away one)
    const { dir, run, oracle } = await sideBySide(play, {}, (d) => [
      '-e',
      `ansible_async_dir=${join(d, 'async')}`,
    ]);
    expect(readFileSync(join(dir, 'a/quick'), 'utf8')).toBe('done');
    expect(readFileSync(join(dir, 'q/quick'), 'utf8')).toBe('done');
    expect(oracle.code).toBe(2);
    expect(oracle.stdout).toContain('async task did not complete within the requested time - 1s');
    expect(run.code).toBe(2);
    const late = nodeEnds(run).find((n) => n.item === 'past its time');
    expect(late?.status).toBe('failed');
    expect(late?.reason).toContain('async task did not complete within the requested time - 1s');
  }, 60_000);

  it('refuses poll: 0 (fire and forget) at its place, before any host', () => {
    const r = validateCli(
      '- hosts: all\n  tasks:\n    - command: sleep 60\n      async: 60\n      poll: 0\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:5:\d+: poll: 0 leaves the task running in the background/);
  });
});
