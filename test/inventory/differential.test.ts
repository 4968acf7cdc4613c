/**
 * Differential tests: quorum and real Ansible (ansible-core 2.19, the oracle) read the same
 * inventories and resolve the same host patterns; every answer must be identical.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleGraph, ansibleLimitHosts, ansibleList, ansiblePlayHosts } from '../helpers/ansible-oracle.ts';
import { quorumGraph, quorumLimitHosts, quorumList, quorumPlayHosts } from '../helpers/quorum-inventory.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/inventory');

interface Case {
  name: string;
  sources: string[];
  patterns: string[];
}

const cases: Case[] = [
  { name: 'ini-typing', sources: ['ini-typing/hosts'] },
  { name: 'yaml-typing', sources: ['yaml-typing/inventory.yml'] },
  { name: 'layered-vars', sources: ['layered-vars/inventory.ini'] },
  { name: 'dir-source', sources: ['dir-source/inv'] },
  { name: 'unicode-deep', sources: ['unicode-deep/inventory.yaml'] },
  {
    name: 'multi-source',
    sources: ['layered-vars/inventory.ini', 'yaml-typing/inventory.yml', 'dir-source/inv'],
  },
].map((c) => {
  const sources = c.sources.map((s) => join(FIXTURES, s));
  const patternFile = join(FIXTURES, c.name, 'patterns.txt');
  const patterns = existsSync(patternFile)
    ? readFileSync(patternFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
    : ['all', 'web:db', 'control_plane:&kube', 'child:!h1'];
  return { name: c.name, sources, patterns };
});

const limit = pLimit(4);
const oracle = new Map<string, Promise<unknown>>();
const ask = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
  if (!oracle.has(key)) oracle.set(key, limit(fn));
  return oracle.get(key) as Promise<T>;
};

beforeAll(() => {
  if (!existsSync('/usr/bin/ansible-inventory')) {
    throw new Error(
      'ansible-core is the oracle for these tests: apt-get install ansible-core (.ci/run does)',
    );
  }
  // start every oracle query at once; each test awaits its own answer
  for (const c of cases) {
    ask(`list:${c.name}`, () => ansibleList(c.sources));
    ask(`graph:${c.name}`, () => ansibleGraph(c.sources));
    for (const p of c.patterns) {
      ask(`play:${c.name}:${p}`, () => ansiblePlayHosts(c.sources, p));
      ask(`limit:${c.name}:${p}`, () => ansibleLimitHosts(c.sources, p));
    }
  }
});

describe.each(cases)('inventory $name agrees with ansible', (c) => {
  it('--list', async () => {
    expect(quorumList(c.sources)).toEqual(await ask(`list:${c.name}`, () => ansibleList(c.sources)));
  });

  it('--graph', async () => {
    expect(quorumGraph(c.sources)).toEqual(await ask(`graph:${c.name}`, () => ansibleGraph(c.sources)));
  });

  it.each(c.patterns)('pattern %s (play order and --limit order)', async (pattern) => {
    const play = await ask(`play:${c.name}:${pattern}`, () => ansiblePlayHosts(c.sources, pattern));
    const limited = await ask(`limit:${c.name}:${pattern}`, () => ansibleLimitHosts(c.sources, pattern));
    expect({
      play: quorumPlayHosts(c.sources, pattern),
      limit: quorumLimitHosts(c.sources, pattern),
    }).toEqual({
      play,
      limit: limited,
    });
  });
});
