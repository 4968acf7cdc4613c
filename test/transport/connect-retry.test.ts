/** A host that does not answer: every new attempt is said, then it is unreachable. Loopback only. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

describe('a host that does not answer', () => {
  it('each new connection attempt is reported, then the host is unreachable (exit 4)', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n');
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  tasks:\n    - command: "true"\n');
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json']);
    expect(r.code).toBe(4);
    const warnings = r.stdout
      .split('\n')
      .filter((l) => l.includes('"type":"warning"'))
      .map((l) => JSON.parse(l).message);
    expect(warnings).toEqual([
      expect.stringMatching(/^h1: .*ECONNREFUSED.*; connecting again \(attempt 2 of 3\)$/),
      expect.stringMatching(/^h1: .*; connecting again \(attempt 3 of 3\)$/),
    ]);
  });
});

describe('--host-key-checking off', () => {
  it('says once that host keys are not verified', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\nh2 ansible_connection=local\n');
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  tasks: []\n');
    const r = quorum([
      'play',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '--host-key-checking',
      'off',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/host keys are not verified/g)).toHaveLength(1);
  });
});
