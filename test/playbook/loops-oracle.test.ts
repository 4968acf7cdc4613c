/**
 * The older with_* loops against Ansible's own lookup plugins (with_X: terms is query('X',
 * *terms)): the items quorum loops over, from its step events, and the list ansible-core gives.
 */
import { describe, expect, it } from 'vitest';
import { ansible } from '../helpers/ansible-oracle.ts';
import { playCli, runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

async function viaAnsible(lookup: string, terms: unknown[]): Promise<unknown> {
  const args = terms.map((t) => JSON.stringify(t)).join(', ');
  const r = await ansible('ansible', [
    'localhost',
    '-m',
    'debug',
    '-a',
    `msg={{ query('${lookup}', ${args}) | to_json }}`,
  ]);
  if (r.code !== 0) throw new Error(`ansible ${lookup}: ${r.stdout}${r.stderr}`);
  return JSON.parse(JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))).msg);
}

async function viaQuorum(keyword: string, value: unknown): Promise<unknown> {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': JSON.stringify([
      { hosts: 'all', gather_facts: false, tasks: [{ debug: { msg: 'x' }, [keyword]: value }] },
    ]),
  });
  const r = await runLocal(dir);
  expect(r.code).toBe(0);
  return steps(r).map((s) => s.item);
}

describe('with_* loops give the items Ansible gives', () => {
  it.each([
    [
      'with_nested',
      'nested',
      [
        [1, 2],
        ['a', 'b', 'c'],
      ],
    ],
    [
      'with_together',
      'together',
      [
        [1, 2, 3],
        ['a', 'b'],
      ],
    ],
    ['with_indexed_items', 'indexed_items', ['a', 'b', 'c']],
    ['with_sequence', 'sequence', ['start=1 end=10 stride=3 format=web%02x']],
    ['with_sequence', 'sequence', ['4-8/2']],
    ['with_sequence', 'sequence', ['count=3 start=5']],
    ['with_sequence', 'sequence', ['start=10 end=0 stride=-5 format=n%03d']],
  ])(
    '%s %j',
    async (keyword, lookup, value) => {
      const expected = await viaAnsible(lookup, value as unknown[]);
      expect(Array.isArray(expected) && expected.length > 1).toBe(true);
      expect(await viaQuorum(keyword, value)).toEqual(expected);
    },
    30_000,
  );

  it('with_cartesian and with_flattened (community.general lookups, not in ansible-core) as documented there', async () => {
    expect(
      await viaQuorum('with_cartesian', [
        ['x', 'y'],
        [3, 4],
      ]),
    ).toEqual([
      ['x', 3],
      ['x', 4],
      ['y', 3],
      ['y', 4],
    ]);
    expect(await viaQuorum('with_flattened', [[1, [2, [3]]], 4])).toEqual([1, 2, 3, 4]);
  });

  it('with_sequence refuses what Ansible refuses, located, before any host', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: { msg: x }\n      with_sequence: start=5 end=1\n',
    });
    const r = playCli(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:4:\d+: with_sequence "start=5 end=1": to count backwards make stride negative/,
    );
  });
});
