/**
 * The strftime filter and now(), each case rendered by ansible-core 2.19 and by quorum in one time
 * zone with daylight saving (America/New_York, for both: the oracle inherits TZ) and in UTC:
 * fixed epochs at year, week and DST boundaries through every directive quorum formats; now()
 * with a format whose answer does not move within the test (the year and day), and
 * now().strftime. A bad epoch fails on both sides.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Case } from '../corpus/jinja-cases.ts';
import { against219, valueCase } from '../corpus/jinja-diff.ts';

const v = valueCase('time');

const EVERY =
  '%a %A %b %B %h %c | %C %d %D %e %F %G %g %H %I %j %k %l %m %M %n%p %P %r %R %s %S %t%T %u %U %V %w %W %x %X %y %Y %z %%';
const EPOCHS = [
  1700000000, // a Tuesday afternoon in November
  1704067200, // 2024-01-01 00:00 UTC: still 2023 in New York
  1609459200, // 2021-01-01, a Friday: ISO week 53 of 2020
  1710054000, // 2024-03-10 07:00 UTC: the first hour of daylight saving in New York
  951782400, // 2000-02-29
];

const CASES: Case[] = [
  ...EPOCHS.flatMap((e) => [
    v(`{{ '${EVERY}' | strftime(${e}) }}`),
    v(`{{ '${EVERY}' | strftime(${e}, utc=true) }}`),
  ]),
  v("{{ '%Y-%m-%d %H:%M:%S' | strftime(second='1700000000') }}"),
  v("{{ '%H:%M:%S' | strftime(1700000000.9) }}"),
  v("{{ '%Z' | strftime(1700000000, utc=true) }}"),
  v("{{ '%Y' | strftime('not a number') }}"),
  v("{{ '%Y' | strftime }}"),
  v("{{ now(fmt='%Y-%m-%d') }}"),
  v("{{ now(utc=true, fmt='%Y') }}"),
  v("{{ now().strftime('%Y-%m') }}"),
  v("{{ now(true).strftime('%Y %Z%z.') }}"),
  v("{{ now().strftime('%Y %Z%z.') }}"),
  v("{{ now().strftime('%f') | length }}"),
  v("{{ now(utc=True).strftime('%d') ~ '.' }}"),
];

let saved: string | undefined;
beforeAll(() => {
  saved = process.env.TZ;
  process.env.TZ = 'America/New_York';
});
afterAll(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

it(`gives Ansible's result on all ${CASES.length} cases, in a time zone with daylight saving`, async () => {
  const { theirs, differ } = await against219(CASES);
  expect(differ).toEqual([]);
  expect(theirs.filter((o) => 'ok' in o).length).toBe(CASES.length - 1);
});

it('and in UTC', async () => {
  process.env.TZ = 'UTC';
  const utc = [...CASES.slice(0, 4), v("{{ '%Z %z' | strftime(1700000000) }}")];
  const { differ } = await against219(utc);
  expect(differ).toEqual([]);
  process.env.TZ = 'America/New_York';
});
