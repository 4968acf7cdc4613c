/**
 * sum with attribute and start, round with a method, human_readable and human_to_bytes: each
 * case rendered by ansible-core 2.19 and by quorum (the same value, or both failing). The engine
 * takes neither sum's arguments nor round's method, so these go through math-edits.ts.
 */
import { expect, it } from 'vitest';
import type { Case } from '../corpus/jinja-cases.ts';
import { against219, valueCase } from '../corpus/jinja-diff.ts';

const v = valueCase('filters');

const disks = [
  { name: 'sda', size: 512, parts: [{ gb: 1 }, { gb: 2 }] },
  { name: 'sdb', size: 1024.5, parts: [{ gb: 3 }] },
];

const CASES: Case[] = [
  // sum: Jinja2's do_sum(iterable, attribute, start), Python's + underneath
  v('{{ [1, 2, 3] | sum(start=10) }}'),
  v('{{ [[1], [2, 3], []] | sum(start=[]) }}'),
  v("{{ disks | sum(attribute='size') }}", { disks }),
  v("{{ disks | map(attribute='parts') | sum(start=[]) | map(attribute='gb') | list }}", { disks }),
  v("{{ disks | sum(attribute='parts.0.gb') }}", { disks }),
  v("{{ disks | sum('size', 100) }}", { disks }),
  v("{{ disks | sum(attribute='missing') }}", { disks }),
  v("{{ [[1, 2], [3]] | sum('1') }}"),
  v('{{ [true, true, 3] | sum(start=0) }}'),
  v("{{ ['a', 'b'] | sum(start='') }}"),
  v("{{ ['a', 'b'] | sum(start=0) }}"),
  v('{{ [[1], 2] | sum(start=[]) }}'),
  v("{{ {'a': 1} | sum(start=0) }}"),
  v('{{ [1.5, 2] | sum }}'),
  v('x{{ [1.5, 2.5] | sum }}'),
  // round with a method: a float always (Jinja2 divides after math.floor/ceil)
  v("{{ 2.7 | round(0, 'floor') }}"),
  v("x{{ 2.7 | round(0, 'floor') }}"),
  v("x{{ 2.2 | round(method='ceil') }}"),
  v("x{{ 2.25 | round(1, 'floor') }}"),
  v("x{{ -2.25 | round(1, 'ceil') }}"),
  v("x{{ 1234 | round(-2, 'floor') }}"),
  v("x{{ (mem * 0.75) | round(0, 'floor') | int }}", { mem: 3953 }),
  v("x{{ 2.5 | round(0, 'common') }}"),
  v("x{{ 3.5 | round(0, method='common') }}"),
  v("x{{ 2.675 | round(2, 'common') }}"),
  v("x{{ 1250.0 | round(-2, 'common') }}"),
  v("x{{ 1350.5 | round(-2, 'common') }}"),
  v("{{ 7 | round(0, 'up') }}"),
  v("{{ 'a' | round(0, 'floor') }}"),
  v('x{{ 12.4 | round }}'),
  // human_readable: bytes_to_human
  ...[0, 1, 1000, 1023, 1024, 1536, 1048576, 5368709120, 1.5 * 2 ** 40, -5].map((n) =>
    v(`{{ ${n} | human_readable }}`),
  ),
  v('{{ 1536 | human_readable(isbits=True) }}'),
  v('{{ 1536 | human_readable(true) }}'),
  v("{{ 1 | human_readable(unit='G') }}"),
  v("{{ 3221225472 | human_readable(unit='m') }}"),
  v("{{ 2048 | human_readable(unit='X') }}"),
  v("{{ '2048' | human_readable }}"),
  v('{{ ansible_memtotal_mb * 1048576 | human_readable }}', { ansible_memtotal_mb: 3953 }),
  // human_to_bytes: formatters.human_to_bytes, its ValueErrors
  ...[
    '1MB',
    '1 megabyte',
    '1.5K',
    '2.5',
    '3.5',
    '10',
    '1 KB',
    '1Kb',
    '1Q',
    'abc',
    '',
    '1 byte',
    '8B',
    '1b',
    '.5G',
    '4 TB ',
  ].map((s) => v(`{{ '${s}' | human_to_bytes }}`)),
  v("{{ '1Mb' | human_to_bytes(isbits=True) }}"),
  v("{{ '1MB' | human_to_bytes(isbits=True) }}"),
  v("{{ '1 megabit' | human_to_bytes(isbits=True) }}"),
  v("{{ 10 | human_to_bytes('M') }}"),
  v("{{ 10 | human_to_bytes(default_unit='K') }}"),
  v("{{ '10' | human_to_bytes('X') }}"),
  v('{{ 1.5 | human_to_bytes }}'),
];

it(`gives Ansible's result on all ${CASES.length} cases`, async () => {
  const { theirs, differ } = await against219(CASES);
  expect(differ).toEqual([]);
  expect(theirs.filter((o) => 'ok' in o).length).toBeGreaterThan(CASES.length * 0.6);
});
