/**
 * community.general's filters (dict_kv, counter, groupby_as_dict, lists_mergeby, from_csv, version_sort, keep_keys,
 * remove_keys, replace_keys, random_mac seeded, unicode_normalize, the time units, the lists_* set filters,
 * accumulate, crc32, from_ini, to_ini), ansible.utils.to_paths and
 * ansible-core's commonpath and normpath, held to ansible-core 2.19 with the collection (ansible
 * 12.0.0) side by side: each value registered by a debug task, and the failures where the
 * filter fails. The short names 2.19 does not route are refused by validate, with their place.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import {
  resultsTask,
  sameStatuses,
  sideBySide,
  tableTasks,
  writtenResults,
} from '../helpers/side-by-side.ts';

const EXPRESSIONS: Array<[string, boolean?]> = [
  ["'v' | community.general.dict_kv('k')"],
  ["['a', 'b', 'a', 'c'] | community.general.counter"],
  ["'hello' | community.general.counter"],
  ["users | community.general.groupby_as_dict('name')"],
  ["(users + users) | community.general.groupby_as_dict('name')", true],
  ["['1.10', '1.9', '1.2.3', '2.0b1', '2.0', '10'] | community.general.version_sort"],
  ["['1.10', '1.9', '1.1'] | community.general.version_sort(reverse=true)"],
  ["['1.10', 'v1'] | community.general.version_sort", true],
  ["['1.0', '1.0a'] | community.general.version_sort"],
  ["['1.0a', '1.0.1'] | community.general.version_sort", true],
  ["users | community.general.keep_keys(target=['name', 'uid'])"],
  ["users | community.general.keep_keys(target='sh', matching_parameter='starts_with')"],
  ["users | community.general.remove_keys(target='^(s|u)', matching_parameter='regex')"],
  ["users | community.general.remove_keys(target=['id'], matching_parameter='ends_with')"],
  [
    "users | community.general.replace_keys(target=[{'before': 'uid', 'after': 'id'}, {'before': 'name', 'after': 'login'}])",
  ],
  ['users | community.general.keep_keys(target=[])', true],
  ["users | community.general.keep_keys(target='x', matching_parameter='like')", true],
  ["'52:54:00' | community.general.random_mac(seed='x')"],
  ["'52:54' | random_mac(seed=inventory_hostname)"],
  ["'52:54:00:zz' | community.general.random_mac", true],
  ["'e\u0301' | community.general.unicode_normalize | length"],
  ["'e\u0301' | community.general.unicode_normalize('NFD') | length"],
  ["'1d 2h' | community.general.to_hours"],
  ["'t=' ~ ('1d 2h' | community.general.to_hours)"],
  ["'90m' | community.general.to_seconds"],
  ["'1h 30min' | community.general.to_minutes"],
  ["'2w' | community.general.to_days"],
  ["'1y' | community.general.to_days(year=366)"],
  ["'3days' | community.general.to_time_unit('weeks')"],
  ["'1500ms' | community.general.to_seconds"],
  ["'-1h' | community.general.to_milliseconds"],
  ["'3 days' | community.general.to_seconds", true],
  ["'1h' | community.general.to_time_unit('fortnight')", true],
  ["['/a/b/c', '/a/b/d/e'] | commonpath"],
  ["['a/b', 'a/c'] | ansible.builtin.commonpath"],
  ["['/a', 'b'] | commonpath", true],
  ["'/a/./b/../c//d/' | normpath"],
  ["'x/../../y' | ansible.builtin.normpath"],
  ["'//a//b' | normpath"],
  ["l1 | community.general.lists_mergeby(l2, 'name')"],
  ["[l1, l2] | community.general.lists_mergeby('name')"],
  ["[l1, l2, l3] | community.general.lists_mergeby('name', recursive=true, list_merge='append')"],
  ["l1 | community.general.lists_mergeby(l3, 'name', list_merge='prepend')"],
  ["l1 | community.general.lists_mergeby('name')"],
  ["l2 | community.general.lists_mergeby(l1, 'v')"],
  ["[] | community.general.lists_mergeby('name')"],
  ["l1 | community.general.lists_mergeby(['x'], 'name')", true],
  ["[{'k': 1}] | community.general.lists_mergeby([{'k': 'a'}], 'k')", true],
  ['l1 | community.general.lists_mergeby(l2, 3)', true],
  ['csv1 | community.general.from_csv'],
  ["csv2 | community.general.from_csv(delimiter=';')"],
  ["'a, b\\n1,  2' | community.general.from_csv(skipinitialspace=true)"],
  ["'1\\t2\\n\\n3\\t4' | community.general.from_csv(dialect='excel-tab', fieldnames=['x', 'y'])"],
  ["'a,b,c\\n1\\n' | community.general.from_csv"],
  ["'' | community.general.from_csv"],
  ["csv1 | community.general.from_csv(dialect='nope')", true],
  ["csv1 | community.general.from_csv(delimiter=';;')", true],
  ["[1, true, 2, 1.0, 'a'] | community.general.lists_union(['a', 3], [2, 'b'])"],
  ['[users[0], users[1]] | community.general.lists_union([swapped])'],
  ['[[1, 2], [2, 3]] | community.general.lists_union(flatten=true)'],
  ["[1, 2, 2, 3, 'x'] | community.general.lists_intersect([2, 3, 4], [3, 2])"],
  ['[users[0], users[1]] | community.general.lists_intersect([swapped])'],
  ['[1, 2, 2, 3] | community.general.lists_difference([2], [9])'],
  ['[1, 2, 3, 1] | community.general.lists_symmetric_difference([3, 4, 4], [1, 5])'],
  ['[3, 1, 3] | community.general.lists_union'],
  ["[1] | community.general.lists_union('ab')", true],
  ['[1] | community.general.lists_union(3)', true],
  ["[1, 2, 3] | community.general.lists_intersect('ab')"],
  ["'ab' | community.general.lists_union('cd')"],
  ["'ab' | community.general.lists_difference('bd')"],
  ['3 | community.general.lists_difference([3])', true],
  ["'abc' | community.general.accumulate"],
  ['[1, 2, 3.5] | community.general.accumulate'],
  ["'/a/b/c' | split('/') | map('split', '/') | community.general.accumulate | map('join', '/')"],
  ["{'a': 1} | community.general.accumulate", true],
  ["[1, 'a'] | community.general.accumulate", true],
  ["'test' | community.general.crc32"],
  ["'h\\u00e9llo' | community.general.crc32"],
  ["'' | community.general.crc32"],
  ['1 | community.general.crc32', true],
  ['ini1 | community.general.from_ini'],
  ["'[a]\\nK=1\\n[a]\\nx=2\\n' | community.general.from_ini", true],
  ["'x=1' | community.general.from_ini", true],
  ['1 | community.general.from_ini', true],
  ['inidict | community.general.to_ini'],
  ["{'only': {}} | community.general.to_ini"],
  ["{'s': {'k': none}} | community.general.to_ini", true],
  ["{'s': 'x'} | community.general.to_ini", true],
  ['{} | community.general.to_ini', true],
  ["['x'] | community.general.to_ini", true],
  ['nested | ansible.utils.to_paths'],
  ["nested | ansible.utils.to_paths(prepend='root')"],
  ['nested | ansible.utils.to_paths(wantlist=true)'],
  ['[1, [2, []], {}] | ansible.utils.to_paths'],
  ['{} | ansible.utils.to_paths'],
  ["'x' | ansible.utils.to_paths"],
];

const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars:
    users: [{name: a, uid: 1, shell: x}, {name: b, uid: 2, shell: y}]
    l1: [{name: b, v: 1, tags: [x]}, {name: a, v: 2}, {v: 9}]
    l2: [{name: a, w: 3}, {name: c, w: 4, tags: [y]}, {name: B, v: 0}]
    l3: [{name: b, tags: [z], sub: {p: 1}}, {name: b, sub: {q: 2}}]
    nested: { a: { b: [1, { c: x }], 'd-e': { } }, f: [], g: null, h2: { i: 1 } }
    swapped: { shell: x, uid: 1, name: a }
    inidict: { s: { k: v, n: 1, b: true, l: [1, x], m: "a\\nb" }, DEFAULT: { z: 0 } }
    ini1: "# c\\n[DEFAULT]\\nd = 1\\n[s1]\\nKey = v\\nmulti = a\\n  b\\n\\n  c\\n[s2]\\nd: 2\\n"

    csv1: "a,b\\n1,2\\r\\n3,4\\n"
    csv2: "name;desc\\nx;\\"a;b\\"\\ny;\\"say \\"\\"hi\\"\\"\\nthere\\"\\n"
  tasks:
    # failing cases read \`late\`, set when the play runs: a template that fails where quorum can
    # render it before the run is refused up front (README, known differences)
    - set_fact: { late: '' }
${tableTasks(
  'debug',
  EXPRESSIONS.map(([e, fails], i) => [`f${i}`, `msg: "{{ ${fails ? `late ~ (${e})` : e} }}"`, fails]),
)}
${resultsTask(`${d}/results.json`, EXPRESSIONS.length, [])}
`;

describe("community.general's filters, as the collection gives them on ansible-core 2.19", () => {
  it('gives the same values, and fails where the filter fails', async () => {
    const sides = await sideBySide(play);
    sameStatuses(sides);
    const [r, theirs] = [sides.out.quorum, sides.out.ansible].map((d) =>
      writtenResults(join(d, 'results.json'), d),
    );
    // a failure in the filter's own words (2.19 puts its task-args preamble before them)
    const why = (x: Record<string, unknown>) =>
      String(x.msg).replace(/^.*The filter plugin '[\w.]+' failed: /, '');
    expect(r.map((x, i) => (x.failed ? String(x.msg).startsWith(why(theirs[i])) : x))).toEqual(
      theirs.map((x) => (x.failed ? true : x)),
    );
    // not an agreement on failures alone
    expect(r.filter((x) => x.failed === false).length).toBe(EXPRESSIONS.filter(([, f]) => !f).length);
    expect(r[5].msg).toEqual(['1.2.3', '1.9', '1.10', '2.0', '2.0b1', '10']);
    expect([r[23].msg, r[24].msg]).toEqual(['t=26.0', 5400]);
  });

  it('refuses a short name ansible-core 2.19 does not route to the collection, with its place', () => {
    const r = validateCli(
      "- hosts: all\n  tasks:\n    - debug: { msg: \"{{ 'v' | dict_kv('k') }}\" }\n",
      'h1 ansible_connection=local\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:3:\d+: .*dict_kv/);
  });
});
