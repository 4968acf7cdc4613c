/**
 * The run journal: a run that may change hosts is journaled (a check run is not), `quorum runs`
 * lists it with its result and per-host counts, `quorum runs show` prints its failures and
 * recap again, and no secret reaches the journal (-e values are kept as names only).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

it('journals runs, lists them newest first, shows one again; no secret in it', () => {
  const dir = workspace();
  const journal = join(dir, 'journal');
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': [
      '- hosts: all',
      '  tasks:',
      '    - name: the password',
      `      copy: { dest: ${dir}/pw, content: "{{ password }}" }`,
      '      no_log: true',
      '    - name: fail when asked',
      '      fail: { msg: asked to fail }',
      '      when: fail_now | default(false) | bool',
      '',
    ].join('\n'),
  });
  const play = (...more: string[]) =>
    quorum([
      'play',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '--journal',
      journal,
      '-e',
      'password=s3cr3t-value',
      ...more,
    ]);
  expect(play('--check').code).toBe(0);
  expect(readdirSync(dir)).not.toContain('journal'); // a check run is not journaled
  expect(play().code).toBe(0);
  expect(play('-e', 'fail_now=true').code).toBe(2);

  const list = quorum(['runs', '--journal', journal, '--json']);
  expect(list.code).toBe(0);
  const runs = list.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(runs.map((r) => r.exitCode)).toEqual([2, 0]); // newest first
  expect(runs[1].hosts.h1).toMatchObject({ changed: 1, failed: 0 });
  expect(runs[0].hosts.h1).toMatchObject({ changed: 0, failed: 1 });
  expect(runs[0].playbook).toBe(join(dir, 'play.yml'));

  const text = quorum(['runs', '--journal', journal]).stdout;
  expect(text).toMatch(/failed \(exit 2\) {2}1 hosts, changed=0 failed=1/);
  const shown = quorum(['runs', 'show', runs[0].id, '--journal', journal]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain(`run ${runs[0].id}`);
  expect(shown.stdout).toContain('(-e password, fail_now)');
  expect(shown.stdout).toMatch(/FAILED h1 .*asked to fail/);
  expect(shown.stdout).toMatch(/RECAP\nh1 +ok=\d+ +changed=0 +failed=1/);
  expect(quorum(['runs', 'show', 'nope', '--journal', journal]).code).toBe(1);

  for (const f of readdirSync(journal))
    expect(readFileSync(join(journal, f), 'utf8')).not.toContain('s3cr3t-value');
});
