/**
 * random and shuffle with a seed (Python's Mersenne Twister, seeded as Python seeds it), product,
 * to_uuid, mandatory, urlsplit and wordcount, each case rendered by ansible-core 2.19 and by
 * quorum; random without a seed stays in its range.
 */
import { expect, it } from 'vitest';
import { renderString } from '../../src/template/render.ts';
import type { Case } from '../corpus/jinja-cases.ts';
import { against219, valueCase } from '../corpus/jinja-diff.ts';

const HOSTS = ['web01', 'web02', 'db-1.example.com', 'h', 'ünïcode', ''];
const URLS = [
  'https://user:pw@Example.COM:8443/a/b?x=1&y=2#frag',
  'http://[2001:db8::1]:8080/p',
  'ftp://ftp.example.com',
  'HTTPS://host/only?q',
  'mailto:ops@example.com',
  '//cdn.example.com/lib.js',
  'relative/path?x#y',
  'http://user@host',
  'http://host:/p',
  'http://host:99999/',
  'http://host:abc/',
  's3://bucket/key',
];
const v = valueCase('filters');

const CASES: Case[] = [
  ...HOSTS.flatMap((h) => [
    v('{{ 59 | random(seed=h) }}', { h }),
    v('{{ 24 | random(seed=h) }}', { h }),
    v('{{ 1000000 | random(seed=h) }}', { h }),
    v('{{ 100 | random(start=10, step=5, seed=h) }}', { h }),
    v("{{ ['a', 'b', 'c', 'd'] | random(seed=h) }}", { h }),
  ]),
  // an empty seed shuffles at random (the filter's `if seed:`), so not that one
  ...HOSTS.filter(Boolean).map((h) => v('{{ [1, 2, 3, 4, 5, 6, 7] | shuffle(seed=h) }}', { h })),
  v('{{ 60 | random(seed=42) }}'),
  v('{{ 60 | random(seed=-7) }}'),
  v("{{ 'abc' | random(seed='x') }}"),
  v("{{ [] | random(seed='x') }}"),
  v("{{ 5 | random(start=9, seed='x') }}"),
  v("{{ [1] | random(start=1, seed='x') }}"),
  v("{{ 'hello' | shuffle(seed='s') }}"),
  v("{{ [1, 2] | product(['a', 'b']) | list }}"),
  v("{{ [1, 2] | product(['a'], [True]) | list }}"),
  v('{{ [0, 1] | product(repeat=2) | list }}'),
  v("{{ 'web01' | to_uuid }}"),
  v("{{ 'web01' | to_uuid(namespace='6ba7b811-9dad-11d1-80b4-00c04fd430c8') }}"),
  v('{{ x | mandatory }}', { x: 'set' }),
  v("{{ 'Hello, wörld! 3 times_over' | wordcount }}"),
  ...URLS.flatMap((u) => [
    v(`{{ '${u}' | urlsplit }}`),
    v(`{{ '${u}' | urlsplit('hostname') }}`),
    v(`{{ '${u}' | urlsplit('port') }}`),
  ]),
  v("{{ 'http://h/' | urlsplit('nothing') }}"),
];

it(`gives Ansible's result on all ${CASES.length} cases`, async () => {
  const { theirs, differ } = await against219(CASES);
  expect(differ).toEqual([]);
  expect(theirs.filter((o) => 'ok' in o).length).toBeGreaterThan(CASES.length * 0.8);
});

it('random without a seed stays in its range and picks from the list', () => {
  for (let i = 0; i < 50; i++) {
    const n = Number(renderString('{{ 10 | random(start=5) }}', {}));
    expect(n >= 5 && n < 10).toBe(true);
    expect(['a', 'b']).toContain(renderString("{{ ['a', 'b'] | random }}", {}));
  }
});
