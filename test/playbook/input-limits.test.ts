/**
 * Bounded input (issue 25, item 8): each oversized input is refused with its place and the bound
 * it passed, exit 1, no crash; and what is large but legitimate loads in linear time (a vars
 * file of many keys, a long plain list, a chain of variables that double).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorumAsync } from '../helpers/cli.ts';
import { OVERSIZED, writeOversizedInputs } from '../helpers/oversized-inputs.ts';
import { workspace } from '../helpers/run-local.ts';

describe('oversized input', () => {
  const dir = workspace();
  writeOversizedInputs(dir);
  // not spawnSync: reading 800 MB takes long enough to block the worker past vitest's RPC deadline
  for (const c of OVERSIZED)
    it(`${c.name}: refused with its place, exit 1`, async () => {
      const r = await quorumAsync(c.args(dir));
      expect(r.stderr).toMatch(c.error);
      expect(r.code).toBe(1);
    });
});

describe('large but legitimate input', () => {
  it('a vars file of 200,000 keys loads (the duplicate-key check was quadratic: 5 MB took 75 s)', async () => {
    const dir = workspace();
    const keys = Array.from({ length: 200_000 }, (_, i) => `k${i}: v${i}\n`).join('');
    writeFileSync(join(dir, 'many.yml'), `${keys}numbers: [${Array(1000).fill(0).join(',')}]\n`);
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\n');
    writeFileSync(
      join(dir, 'play.yml'),
      '- hosts: all\n  gather_facts: false\n  vars_files: [many.yml]\n  tasks:\n    - debug: msg="{{ k199999 }} {{ numbers | length }}"\n',
    );
    const r = await quorumAsync(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '-v']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('v199999 1000');
  });

  // 24 levels: once per use, 2^24 renders, was hours (18 levels took 17 s); the run's 120 s bound fails it
  it('variables that double 24 times render once each: 2^24 characters', async () => {
    const dir = workspace();
    const chain = Array.from({ length: 24 }, (_, i) => `    v${i + 1}: "{{ v${i} }}{{ v${i} }}"\n`).join('');
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\n');
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all\n  gather_facts: false\n  vars:\n    v0: a\n${chain}  tasks:\n    - debug: msg="{{ v24 | length }}"\n`,
    );
    const r = await quorumAsync(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '-v']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('16777216');
  });
});
