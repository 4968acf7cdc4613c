/**
 * Debian version order and dependency fields, held to dpkg itself on this machine
 * (`dpkg --compare-versions`): epochs, revisions, `~` before the end, letters before signs,
 * leading zeros, and the relations of a Depends field.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareDebVersions, parseDepends, satisfies } from '../../src/modules/deb-version.ts';

const VERSIONS = [
  '1.0',
  '1.0-1',
  '1.0-2',
  '1.0~rc1',
  '1.0~rc1-1',
  '1.0~~',
  '1.0+b1',
  '1.0a',
  '1.0.1',
  '1:0.1',
  '2:0',
  '0:1.0',
  '1.00',
  '1.10',
  '1.9',
  '1.0-1ubuntu1',
  '1.0-1~bpo12+1',
  '10',
  '9.99',
  '1.2.3-4.5',
  'a',
  '1.0-a',
];

const dpkgSays = (a: string, op: string, b: string) => {
  try {
    execFileSync('dpkg', ['--compare-versions', a, op, b]);
    return true;
  } catch {
    return false;
  }
};

describe('Debian versions, as dpkg orders them', () => {
  it('sorts them as dpkg --compare-versions orders them', () => {
    // both orders are total: the sorted neighbours agreeing with dpkg means every pair does
    const sorted = [...VERSIONS].sort(compareDebVersions);
    const differ: string[] = [];
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]];
      const mine = compareDebVersions(a, b) === 0 ? 'eq' : 'lt';
      if (!dpkgSays(a, mine, b)) differ.push(`${a} ${mine} ${b}: dpkg says not`);
    }
    expect(differ).toEqual([]);
    expect(sorted.slice(0, 3)).toEqual(['1.0~~', '1.0~rc1', '1.0~rc1-1']);
  });

  it('reads a Depends field into groups of alternatives, and their relations', () => {
    const groups = parseDepends('libc6 (>= 2.34), foo:any | bar (<< 2~), baz (= 1:1.0-1),qux (> 1)');
    expect(groups).toEqual([
      [{ name: 'libc6', op: '>=', version: '2.34' }],
      [{ name: 'foo' }, { name: 'bar', op: '<<', version: '2~' }],
      [{ name: 'baz', op: '=', version: '1:1.0-1' }],
      // the obsolete `>` is dpkg's `>=`
      [{ name: 'qux', op: '>=', version: '1' }],
    ]);
    expect(satisfies(groups[1][1], '1.9')).toBe(true);
    expect(satisfies(groups[1][1], '2')).toBe(false);
    expect(satisfies(groups[1][1], '2~~')).toBe(true);
    expect(satisfies(groups[2][0], '1:1.0-1')).toBe(true);
    expect(satisfies(groups[2][0], '1.0-1')).toBe(false);
    expect(satisfies(groups[3][0], '1')).toBe(true);
  });
});
