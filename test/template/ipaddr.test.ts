/**
 * ansible.utils' ipaddr family (ipaddr, ipv4, ipv6, ipwrap, ipmath, nthhost) held to the
 * collection itself: each case rendered by ansible-core 2.19 with Debian 13's ansible package
 * (ansible.utils over netaddr 1.3) and by quorum, by the short and the full names. Every query
 * the plugin has, over IPv4 and IPv6 addresses and networks, the numeric forms, lists, a CIDR
 * as the query, an index; values it refuses and queries it does not know fail in both.
 */
import { describe, expect, it } from 'vitest';
import { jinjaCheck } from '../../src/template/jinja/check.ts';
import type { Case } from '../corpus/jinja-cases.ts';
import { agree, ansibleOutcomes, quorumOutcome } from '../corpus/jinja-diff.ts';

const VALUES = [
  '10.0.0.5/24',
  '10.0.0.0/24',
  '192.168.1.5/255.255.255.0',
  '10.0.0.1/31',
  '10.0.0.5/32',
  '10.0.0.1/30',
  '8.8.8.8',
  '127.0.0.1',
  '169.254.3.4',
  '224.0.0.1',
  '0.0.0.0',
  '255.255.255.0',
  '100.64.0.1',
  '192.0.0.9',
  '2001:db8::5/64',
  '2001:db8::/64',
  'fe80::1/64',
  '::1',
  '::ffff:10.1.2.3',
  '2001:4860:4860::8888',
  '2001:0:0:1::1',
  'ff02::1',
  '2002:c000:204::1',
  '167772160',
  '167772160/8',
  'not-an-ip',
  '10.1',
  '1.2.3.4/33',
  '01.2.3.4',
];

const QUERIES = [
  '',
  'address',
  'network',
  'netmask',
  'hostmask',
  'prefix',
  'broadcast',
  'size',
  'size_usable',
  'host',
  'net',
  'subnet',
  'cidr',
  'type',
  'version',
  'public',
  'private',
  'loopback',
  'link-local',
  'multicast',
  'unicast',
  'ipv4',
  'ipv6',
  'wrap',
  'revdns',
  'bool',
  'int',
  'ip/prefix',
  'host/prefix',
  'ip_netmask',
  'network/prefix',
  'network_netmask',
  'network_wildcard',
  'first_usable',
  'last_usable',
  'next_usable',
  'previous_usable',
  'range_usable',
  'peer',
  '10.0.0.0/8',
  '2001:db8::/32',
  '5',
  '-1',
  '300',
  'nonsense',
];

const v = (src: string): Case => ({ role: 'ipaddr', where: src, kind: 'value', src, vars: {} });

const CASES: Case[] = [
  ...VALUES.flatMap((value) =>
    QUERIES.map((q) => v(`{{ ${JSON.stringify(value)} | ansible.utils.ipaddr(${JSON.stringify(q)}) }}`)),
  ),
  ...VALUES.map((value) => v(`{{ ${JSON.stringify(value)} | ansible.utils.ipv4 }}`)),
  ...VALUES.map((value) => v(`{{ ${JSON.stringify(value)} | ansible.utils.ipv6('address') }}`)),
  ...VALUES.map((value) => v(`{{ ${JSON.stringify(value)} | ansible.utils.ipwrap }}`)),
  ...VALUES.map((value) => v(`{{ ${JSON.stringify(value)} | ansible.utils.nthhost(2) }}`)),
  v("{{ ['10.0.0.1', 'x', '::1', '', '192.168.0.0/16'] | ansible.utils.ipaddr }}"),
  v("{{ ['10.0.0.1', 'x', '::1', '192.168.0.0/16'] | ansible.utils.ipv4('address') }}"),
  v("{{ ['10.0.0.1', 'x', '::1'] | ansible.utils.ipwrap }}"),
  v('{{ 167772161 | ansible.utils.ipaddr }}'),
  v('{{ 167772161 | ansible.utils.ipv6 }}'),
  v("{{ '10.0.0.5/24' | ansible.utils.ipaddr(5) }}"),
  v("{{ '10.0.0.1' | ansible.utils.ipmath(5) }}"),
  v("{{ '10.0.0.1/24' | ansible.utils.ipmath(-2) }}"),
  v("{{ '2001:db8::1' | ansible.utils.ipmath(255) }}"),
  v("{{ 'x' | ansible.utils.ipmath(1) }}"),
  v("{{ '10.0.0.1' | ansible.utils.ipmath('a') }}"),
  v("{{ '10.0.0.0/24' | ansible.utils.nthhost(-1) }}"),
  v("{{ '10.0.0.0/30' | ansible.utils.nthhost(4) }}"),
  v("{{ '10.0.0.0/24' | ansible.utils.nthhost('x') }}"),
  v(
    "{{ '10.0.0.1/24' | ansible.utils.ipaddr('network') }}/{{ '10.0.0.1/24' | ansible.utils.ipaddr('prefix') }}",
  ),
  v("{{ '10.0.0.1' | ansible.utils.ipaddr == '10.0.0.1' }}"),
  v('{{ true | ansible.utils.ipaddr }}'),
  v("{{ '' | ansible.utils.ipaddr }}"),
];

describe('the ipaddr filters, as ansible.utils computes them (ansible-core 2.19)', () => {
  it('refuses the short names, which 2.19 does not have ("No filter named \'ipaddr\'")', () => {
    expect(jinjaCheck("{{ '10.0.0.1' | ipaddr('address') }}")?.message).toMatch(
      /no filter named "ipaddr": .* only by its full name, ansible.utils.ipaddr/,
    );
    expect(jinjaCheck("{{ '10.0.0.1' | ansible.utils.ipaddr('address') }}")).toBeUndefined();
  });

  it(`gives Ansible's result on all ${CASES.length} cases`, async () => {
    const theirs = await ansibleOutcomes(CASES, true);
    const differ = CASES.flatMap((c, i) => {
      const mine = quorumOutcome(c);
      const verdict = agree(theirs[i], mine);
      // a number past 2^53 (an IPv6 network's size or address as an int) is an error in quorum,
      // never a rounded number: the one difference, said in the README
      const tooBig =
        'error' in mine && /past what quorum computes exactly/.test(mine.message) && 'ok' in theirs[i];
      return verdict === 'differ' && !tooBig ? [{ src: c.src, ansible: theirs[i], quorum: mine }] : [];
    });
    expect(differ).toEqual([]);
    // the cases are answers, not only errors on both sides
    const answered = theirs.filter((o) => 'ok' in o).length;
    expect(answered).toBeGreaterThan(CASES.length * 0.8);
  });
});
