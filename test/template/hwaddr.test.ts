/**
 * ansible.utils' hwaddr and macaddr held to the collection: each case rendered by ansible-core
 * 2.19 with Debian 13's ansible package (ansible.utils over netaddr 1.3) and by quorum: every
 * query over EUI-48 and EUI-64 text forms, numbers, and values it refuses.
 */
import { describe, expect, it } from 'vitest';
import { jinjaCheck } from '../../src/template/jinja/check.ts';
import type { Case } from '../corpus/jinja-cases.ts';
import { agree, ansibleOutcomes, quorumOutcome } from '../corpus/jinja-diff.ts';

const VALUES = [
  '00:1a:2b:3c:4d:5e',
  '00-1A-2B-3C-4D-5E',
  '001a.2b3c.4d5e',
  '001a2b3c4d5e',
  '1a2b3c4d5e6',
  '0:1a:2b:3c:4d:5e',
  '001a2b:3c4d5e',
  '001a2b-3c4d5e',
  'abc:def:012',
  '00:1A:2b:3C:4d:5E',
  '00:1a:2b:3c:4d:5e:6f:70',
  '0001.0002.0003.0004',
  '1a2b3c4d5e6f7081',
  '00:1a:2b:3c:4d',
  '00:1a:2b:3c:4d:5e:6f',
  '  00:1a:2b:3c:4d:5e ',
  'x',
  '0',
  '123',
];
const QUERIES = [
  '',
  'bare',
  'bool',
  'int',
  'cisco',
  'eui48',
  'linux',
  'pgsql',
  'postgresql',
  'psql',
  'unix',
  'win',
  'nope',
];
const v = (src: string): Case => ({ role: 'hwaddr', where: src, kind: 'value', src, vars: {} });

const CASES: Case[] = [
  ...VALUES.flatMap((value) =>
    QUERIES.map((q) => v(`{{ ${JSON.stringify(value)} | ansible.utils.hwaddr(${JSON.stringify(q)}) }}`)),
  ),
  ...VALUES.map((value) => v(`{{ ${JSON.stringify(value)} | ansible.utils.macaddr('linux') }}`)),
  v("{{ 112394521950 | ansible.utils.hwaddr('linux') }}"),
  v("{{ 0 | ansible.utils.macaddr('unix') }}"),
];

describe('hwaddr and macaddr, as ansible.utils computes them (ansible-core 2.19)', () => {
  it('refuses the short names, which 2.19 does not have', () => {
    expect(jinjaCheck("{{ 'x' | hwaddr('bare') }}")?.message).toMatch(
      /only by its full name, ansible.utils.hwaddr/,
    );
  });

  it(`gives Ansible's result on all ${CASES.length} cases`, async () => {
    const theirs = await ansibleOutcomes(CASES, true);
    const differ = CASES.flatMap((c, i) => {
      const mine = quorumOutcome(c);
      // an EUI-64 as a number past 2^53 is an error in quorum, never a rounded number (README)
      const tooBig =
        'error' in mine && /past what quorum computes exactly/.test(mine.message) && 'ok' in theirs[i];
      return agree(theirs[i], mine) === 'differ' && !tooBig
        ? [{ src: c.src, ansible: theirs[i], quorum: mine }]
        : [];
    });
    expect(differ).toEqual([]);
    expect(theirs.filter((o) => 'ok' in o).length).toBeGreaterThan(CASES.length * 0.6);
  });
});
