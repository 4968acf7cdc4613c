/**
 * PEP 440 specifiers as the `packaging` library answers them (the one 2.19's pip module asks:
 * SpecifierSet.contains(version, prereleases=True)), held to Debian's python3-packaging (an
 * ansible-core dependency) on every pair of a table of versions and specifiers.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { satisfies } from '../../src/modules/pep440.ts';

const VERSIONS = [
  '1.0',
  '1',
  '1.0.0',
  '1.0.1',
  '1.1',
  '1.2.3',
  '2.0',
  '2.0.0',
  '10.0',
  '0.9',
  '1.0a1',
  '1.0b2',
  '1.0rc1',
  '1.0.dev3',
  '1.0a1.dev1',
  '1.0.post1',
  '1.0-1',
  '1.0.post1.dev2',
  '2.0rc1',
  '1.0+local.7',
  '1!0.5',
  'v1.0',
  '1.0-alpha2',
  '1.0_RC_3',
  '1.0c1',
  '2.0.post2',
];
const SPECIFIERS = [
  '',
  '==1.0',
  '==1',
  '!=1.0',
  '>=1.0',
  '<=1.0',
  '>1.0',
  '<2.0',
  '<2',
  '>1.0.post1',
  '~=1.0',
  '~=1.2.3',
  '==1.*',
  '==1.0.*',
  '!=1.*',
  '>=1.0,<2',
  '>=1.0a1',
  '<1.0',
  '>=1!0',
  '==1.0+local.7',
  '>1.0rc1',
  '~=2.0rc1',
  '<=1.0.post1',
  '>=0.9,!=1.0,<1.2',
];

const ORACLE = `
import json, sys
from packaging.specifiers import SpecifierSet
pairs = json.load(sys.stdin)
print(json.dumps([SpecifierSet(s).contains(v, prereleases=True) for v, s in pairs]))
`;

describe('PEP 440 specifiers', () => {
  it('answer what packaging answers', () => {
    const pairs = VERSIONS.flatMap((v) => SPECIFIERS.map((s) => [v, s] as const));
    const expected: boolean[] = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', ORACLE], { input: JSON.stringify(pairs), encoding: 'utf8' }),
    );
    const wrong = pairs
      .map(([v, s], i) => ({ v, s, want: expected[i], got: satisfies(v, s) }))
      .filter((c) => c.want !== c.got);
    expect(wrong).toEqual([]);
    expect(expected.filter(Boolean).length).toBeGreaterThan(100);
  });
});
