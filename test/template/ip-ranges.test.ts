/**
 * ansible.utils' range filters (ipsubnet, cidr_merge, network_in_usable, network_in_network,
 * next_nth_usable, previous_nth_usable, usable_range, ip4_hex) held to the collection: each case rendered by
 * ansible-core 2.19 with Debian 13's ansible package (ansible.utils over netaddr 1.3) and by
 * quorum; values and arguments it refuses fail in both.
 */
import { describe, expect, it } from 'vitest';
import { jinjaCheck } from '../../src/template/jinja/check.ts';
import type { Case } from '../corpus/jinja-cases.ts';
import { agree, ansibleOutcomes, quorumOutcome } from '../corpus/jinja-diff.ts';

const v = (src: string): Case => ({ role: 'ip-ranges', where: src, kind: 'value', src, vars: {} });
const q = JSON.stringify;

const NETS = [
  '192.168.0.0/16',
  '10.0.0.5/24',
  '10.0.0.5/32',
  '10.0.0.5',
  '10.0.0.0/31',
  '10.0.0.0/30',
  '2001:db8::/32',
  '2001:db8::5/64',
  'x',
  '0.0.0.0/0',
];
const SIZES = ['', '8', '16', '20', '24', '26', '30', '32', '40', '48', '66', '128'];
const INDEXES = [0, 1, 3, -1, 16, 40];
const TESTS = [
  '192.168.0.1',
  '192.168.255.255',
  '192.168.1.0/24',
  '10.0.0.1',
  '10.0.0.255',
  '10.0.0.0/25',
  '2001:db8::1',
  '2001:db9::/48',
  'x',
];
const OFFSETS = [0, 1, 2, 3, 254, 300, -1, "'2'", "'a'"];
const LISTS = [
  ['192.168.0.0/17', '192.168.128.0/17', '10.0.0.1'],
  ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/25', '2001:db8::/64', '2001:db8:0:1::/64'],
  ['10.0.0.7', '10.0.0.12'],
  ['10.0.0.5/24', '10.0.0.0/24', '10.0.0.128/25'],
  ['2001:db8::1', '2001:db8::ff'],
  ['10.0.0.1'],
  [],
  ['x'],
  ['10.0.0.1', '::1'],
];

const CASES: Case[] = [
  ...NETS.flatMap((n) => SIZES.map((s) => v(`{{ ${q(n)} | ansible.utils.ipsubnet(${q(s)}) }}`))),
  ...NETS.flatMap((n) =>
    ['20', '26', '30', '66'].flatMap((s) =>
      INDEXES.map((i) => v(`{{ ${q(n)} | ansible.utils.ipsubnet(${q(s)}, ${i}) }}`)),
    ),
  ),
  ...['192.168.0.0/16', '10.0.0.0/8', '2001:db8::/32', 'x'].map((outer) =>
    v(`{{ '192.168.144.5/20' | ansible.utils.ipsubnet(${q(outer)}) }}`),
  ),
  ...NETS.flatMap((n) =>
    TESTS.flatMap((t) => [
      v(`{{ ${q(n)} | ansible.utils.network_in_usable(${q(t)}) }}`),
      v(`{{ ${q(n)} | ansible.utils.network_in_network(${q(t)}) }}`),
    ]),
  ),
  ...NETS.flatMap((n) =>
    OFFSETS.flatMap((o) => [
      v(`{{ ${q(n)} | ansible.utils.next_nth_usable(${o}) }}`),
      v(`{{ ${q(n)} | ansible.utils.previous_nth_usable(${o}) }}`),
    ]),
  ),
  ...LISTS.flatMap((l) => [
    v(`{{ ${q(l)} | ansible.utils.cidr_merge }}`),
    v(`{{ ${q(l)} | ansible.utils.cidr_merge('span') }}`),
  ]),
  v("{{ ['10.0.0.1'] | ansible.utils.cidr_merge('bogus') }}"),
  ...['10.0.0.0/30', '10.0.0.5', '10.0.0.0/31', '2001:db8::/126', '10.0.0.1/24', 'x', '192.168.0.0/24'].map(
    (n) => v(`{{ ${q(n)} | ansible.utils.usable_range }}`),
  ),
  ...['192.168.1.5', '10.0.0.255', '1.2.3.4', '::1', 'x'].flatMap((a) => [
    v(`{{ ${q(a)} | ansible.utils.ip4_hex }}`),
    v(`{{ ${q(a)} | ansible.utils.ip4_hex(':') }}`),
  ]),
];

describe('the range filters, as ansible.utils computes them (ansible-core 2.19)', () => {
  it('refuses the short names, which 2.19 does not have', () => {
    expect(jinjaCheck("{{ '10.0.0.0/8' | ipsubnet(16) }}")?.message).toMatch(
      /only by its full name, ansible.utils.ipsubnet/,
    );
    expect(jinjaCheck("{{ '10.0.0.0/8' | ansible.utils.ipsubnet(16) }}")).toBeUndefined();
  });

  it(`gives Ansible's result on all ${CASES.length} cases`, async () => {
    const theirs = await ansibleOutcomes(CASES, true);
    const differ = CASES.flatMap((c, i) => {
      const mine = quorumOutcome(c);
      return agree(theirs[i], mine) === 'differ' ? [{ src: c.src, ansible: theirs[i], quorum: mine }] : [];
    });
    expect(differ).toEqual([]);
    expect(theirs.filter((o) => 'ok' in o).length).toBeGreaterThan(CASES.length * 0.7);
  });
});
