/**
 * The lookups that make lists (items, list, dict, indexed_items, nested, cartesian, together,
 * subelements, sequence), ini and csvfile, and how lookup() hands a plugin's list back (one item
 * as itself, texts joined, `wantlist`, `errors='ignore'`): each case rendered by ansible-core 2.19
 * and by quorum, over INI and CSV files written here. with_<name> loops give the same lists.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case } from '../corpus/jinja-cases.ts';
import { agree, ansibleOutcomes, quorumOutcome, valueCase } from '../corpus/jinja-diff.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

const dir = workspace();
const INI = join(dir, 'app.ini');
const CSV = join(dir, 'hosts.csv');
writeFileSync(
  INI,
  [
    '# a comment',
    '[DEFAULT]',
    'base = /srv',
    '[section1]',
    'User = alice',
    'pass: s3cret',
    'key.with.dot = v',
    'path = %(base)s/app',
    'pct = 100%%',
    'bad = 50% off',
    'missing = %(nope)s',
    'multi = first',
    '  second',
    '',
    '  fourth',
    '; another comment',
    'empty =',
    'spaced   =   x y  ',
    '[other]',
    'user=bob',
    'base = /opt',
    'path = %(base)s/x',
    '',
  ].join('\n'),
);
writeFileSync(join(dir, 'no-value.ini'), '[mysqld]\nskip-name-resolve\nport = 3306\n');
writeFileSync(join(dir, 'twice.ini'), '[a]\nx = 1\n[a]\ny = 2\n');
writeFileSync(join(dir, 'twice-key.ini'), '[a]\nx = 1\nX = 2\n');
writeFileSync(join(dir, 'headless.ini'), 'x = 1\n[a]\ny = 2\n');
writeFileSync(join(dir, 'app.properties'), 'user.name = carol\nuser.home=/home/carol\n');
writeFileSync(
  CSV,
  'name,value,third\nalice,1,a\nbob,2,b\n"c d",3,"x,y"\n"multi\nline",4,"say ""hi"""\nshort\n,empty-key,z\n',
);
writeFileSync(join(dir, 'hosts.tsv'), 'k1\tv1\tz1\nk2\tv2\tz2\n');
writeFileSync(join(dir, 'app.j2'), 'name={{ who }}\nn={{ n + 1 }}\n');
writeFileSync(join(dir, 'list.j2'), '[1, 2, {{ n }}]\n');
writeFileSync(join(dir, 'backquote.j2'), 'x={{ a ` b }}\n');
// the template action's variables, in the lookup too (linux-system-roles.network's get_ansible_managed.j2)
writeFileSync(
  join(dir, 'managed.j2'),
  '{{ ansible_managed | comment }}\npath={{ template_path }} full={{ template_fullpath }} dest={{ template_destpath }}\n',
);
writeFileSync(
  join(dir, 'outer.j2'),
  `outer {{ who }} / {{ lookup('template', '${join(dir, 'list.j2')}') | trim }}`,
);

// keys not in sorted order: a dict reaches a lookup through the engine in its own order (dict-order.ts)
const USERS = [
  { n: 'a', keys: [1, 2], sub: { list: ['x'] } },
  { n: 'b', keys: [3], sub: { list: [] } },
];
const v = valueCase('lookups');
const ini = (args: string) => v(`{{ lookup('ini', ${args}) }}`);
const csv = (args: string) => v(`{{ lookup('csvfile', ${args}) }}`);
const at = (f: string) => `file='${join(dir, f)}'`;

const CASES: Case[] = [
  // the list lookups
  v("{{ lookup('items', [1,[2,[3]]]) }}"),
  v("{{ query('items', [1],[2,[3]]) }}"),
  v("{{ lookup('items', ['a']) }}"),
  v("{{ lookup('items', 'a', 'b') }}"),
  v("{{ lookup('items', []) }}"),
  v("{{ query('list', [1,2]) }}"),
  v("{{ lookup('list', [1,[2,3]]) }}"),
  v("{{ query('list', 1, [2,3]) }}"),
  v("{{ lookup('dict', d) }}", { d: { x: { y: 1 } } }),
  v("{{ query('dict', d) }}", { d: { a: 1, b: { c: 2 } } }),
  v("{{ query('dict', 'x') }}"),
  v("{{ query('indexed_items', ['a','b']) }}"),
  v("{{ query('indexed_items', [['a','b'],['c']]) }}"),
  v("{{ query('nested', [1,2], ['a','b']) }}"),
  v("{{ query('nested', [[1,2]], [3]) }}"),
  v("{{ query('nested', [[1,2],['a','b']]) }}"),
  v("{{ lookup('nested', [1]) }}"),
  v("{{ query('nested', 'ab') }}"),
  v("{{ query('cartesian', [1,2], ['a','b']) }}"),
  v("{{ query('community.general.cartesian', [1], 'ab', 3) }}"),
  v("{{ query('together', [1,2,3], ['a','b']) }}"),
  v("{{ query('together', [1,2]) }}"),
  v("{{ query('together', [[1,[2]],[3]]) }}"),
  v("{{ query('subelements', users, 'keys') }}", { users: USERS }),
  v("{{ lookup('subelements', users, 'sub.list') }}", { users: USERS }),
  v("{{ query('subelements', users, 'nokey') }}", { users: USERS }),
  v("{{ query('subelements', users, 'nokey', {'skip_missing': True}) }}", { users: USERS }),
  v("{{ query('subelements', users, 'n') }}", { users: USERS }),
  v("{{ query('subelements', users) }}", { users: USERS }),
  v("{{ query('subelements', {'u1': {'n': 'a', 'keys': [1]}, 'u2': {'n': 'b', 'keys': [2]}}, 'keys') }}"),
  v("{{ query('subelements', [{'skipped': True}, {'keys': [9]}], 'keys') }}"),
  v("{{ query('sequence', 'start=1 end=5 stride=2 format=h%02d') }}"),
  v("{{ lookup('sequence', 'count=3') }}"),
  v("{{ query('sequence', '4-8/2') }}"),
  v("{{ query('sequence', '3:web%02d') }}"),
  v("{{ query('sequence', '2-4/2:%o') }}"),
  // one bad value: 2.19 checks the options in a frozenset's order, which changes from run to run
  v("{{ query('sequence', 'start=0x10 end=20') }}"),
  v("{{ query('sequence', 'start=0664 end=666') }}"),
  v("{{ query('sequence', 'start=5 count=3 stride=-1') }}"),
  v("{{ query('sequence', 'start=1 end=5 stride=0') }}"),
  v("{{ query('sequence', 'end=3 format=a%db%d') }}"),
  v("{{ query('sequence', 'end=3 format=%s!') }}"),
  v("{{ query('sequence', 'end=3 format=%5.1f') }}"),
  v("{{ query('sequence', 'start=10 end=0 stride=-3') }}"),
  v("{{ query('sequence', 'start=1 end=10 stride=-1') }}"),
  v("{{ query('sequence', 'start=10 end=1') }}"),
  v("{{ query('sequence', 'count=0') }}"),
  v("{{ query('sequence', 'count=-2') }}"),
  v("{{ query('sequence', 'start=1') }}"),
  v("{{ query('sequence', 'end=3 count=2') }}"),
  v("{{ query('sequence', 'end=3 foo=1') }}"),
  v("{{ query('sequence', start=2, end=4) }}"),
  v("{{ query('sequence', 'end=4', start=2) }}"),
  v("{{ query('sequence', 'end=2.0') }}"),
  v("{{ query('sequence', 'end=2.5') }}"),
  v("{{ query('sequence', '-3') }}"),
  v("{{ query('sequence', 'end=2 format=\"a %d\"') }}"),
  v("{{ query('sequence', 'start=1 end=3', 'count=2 format=x%d') }}"),
  // how lookup() hands the list back
  v("{{ lookup('vars', 'p', 'q') }}", { p: 1, q: 2 }),
  v("{{ lookup('vars', 'p', 'q', wantlist=True) }}", { p: 'a', q: 'b' }),
  // the variable's own template rendered; a variable made of the lookup, used beside others that
  // hold templates (linux-system-roles' systemd: quorum rendered every variable for the text 'vars'
  // and recursed without end)
  v("{{ lookup('vars', 'p') }}", { p: "{{ base + ['x'] }}", base: ['a'] }),
  v('{{ lst | length }} {{ other }}', {
    lst: "{{ lookup('vars', name) }}",
    name: 'p',
    p: "{{ base + ['x'] }}",
    base: ['a'],
    other: '{{ base | first }}',
  }),
  v("{{ lookup('env', 'NO_SUCH_VAR_Q1', 'NO_SUCH_VAR_Q2') }}"),
  v("{{ lookup('file', '/nonexistent/q', errors='ignore') }}"),
  v("{{ query('file', '/nonexistent/q', errors='ignore') }}"),
  v("{{ lookup('items', 'a', errors='ignore') }}"),
  v("{{ lookup('dict', 'x', errors='ignore') }}"),
  v("{{ lookup('file', '/nonexistent/q', errors='warn') }}"),
  v("{{ query('file', '/nonexistent/q', errors='warn') }}"),
  v("{{ lookup('file', '/nonexistent/q', errors='warn', wantlist=True) }}"),
  v(`x{{ lookup('fileglob', '${dir}/*.nomatch') }}x`),
  v(`{{ lookup('fileglob', '${dir}/*.tsv') }}`),
  // the folder's own order (glob's), not sorted; the filter too, and by its full name in map()
  v(`{{ lookup('fileglob', '${dir}/*.ini') }}`),
  v(`{{ '${dir}/*.ini' | fileglob }}`),
  v(`{{ ['${dir}/*.properties', '${dir}/t*.ini'] | map('ansible.builtin.fileglob') | flatten }}`),
  v(`{{ '${dir}/*' | ansible.builtin.fileglob | length > 3 }}`),
  v(`{{ ['${dir}/app.ini', '${dir}/no/such', '/etc/../etc/hosts'] | map('ansible.builtin.realpath') }}`),
  // expanduser on the controller (HOME differs between the two engines' runs here: users' homes only)
  v("{{ ['~root/x', '~root', '~nosuchuserq/y', '/a/~', 'a~'] | map('expanduser') }}"),
  v("{{ lookup('random_choice', 1) }}"),
  // template (a render inside the render: the engine cannot be entered twice)
  v(`{{ lookup('template', '${join(dir, 'app.j2')}') }}`, { who: 'ann', n: 1 }),
  v(`{{ lookup('template', '${join(dir, 'app.j2')}', template_vars={'who': 'bob'}) }}`, { who: 'ann', n: 1 }),
  v(`{{ lookup('template', '${join(dir, 'list.j2')}') | length }}`, { n: 3 }),
  v(`{{ lookup('template', '${join(dir, 'list.j2')}', convert_data=False) }}`, { n: 3 }),
  v(`{{ lookup('template', '${join(dir, 'app.j2')}', '${join(dir, 'list.j2')}') }}`, { who: 'c', n: 2 }),
  v(`{{ lookup('template', '${join(dir, 'outer.j2')}') }} and {{ who }}`, { who: 'd', n: 4 }),
  v(`{{ lookup('template', '${join(dir, 'managed.j2')}') }}`),
  v(`{{ lookup('template', '${join(dir, 'backquote.j2')}') }}`),
  v(`{{ lookup('template', '${join(dir, 'managed.j2')}') }}`, {
    ansible_managed: 'mine',
    template_path: 'x',
  }),
  // ini
  ini(`'user', section='section1', ${at('app.ini')}`),
  ini(`'USER', section='section1', ${at('app.ini')}`),
  ini(`'User', section='section1', ${at('app.ini')}, case_sensitive=True`),
  ini(`'user', section='section1', ${at('app.ini')}, case_sensitive=True`),
  ini(`'pass', section='section1', ${at('app.ini')}`),
  ini(`'key.with.dot', section='section1', ${at('app.ini')}`),
  ini(`'path', section='section1', ${at('app.ini')}`),
  ini(`'path', section='other', ${at('app.ini')}`),
  ini(`'path', section='other', ${at('app.ini')}, interpolation=False`),
  ini(`'pct', section='section1', ${at('app.ini')}`),
  ini(`'bad', section='section1', ${at('app.ini')}`),
  ini(`'missing', section='section1', ${at('app.ini')}`),
  ini(`'multi', section='section1', ${at('app.ini')}`),
  ini(`'empty', section='section1', ${at('app.ini')}`),
  ini(`'spaced', section='section1', ${at('app.ini')}`),
  ini(`'base', section='section1', ${at('app.ini')}`),
  ini(`'base', section='DEFAULT', ${at('app.ini')}`),
  ini(`'nokey', section='section1', ${at('app.ini')}`),
  ini(`'nokey', section='section1', ${at('app.ini')}, default='dflt'`),
  ini(`'user', section='nosuch', ${at('app.ini')}`),
  ini(`'user', ${at('app.ini')}`),
  ini(`'user', 'pass', section='section1', ${at('app.ini')}`),
  ini(`'user', 'nokey', section='section1', ${at('app.ini')}`),
  ini(`'.*', section='section1', ${at('app.ini')}, re=True, interpolation=False`),
  ini(`'p.*', section='other', ${at('app.ini')}, re=True`),
  ini(`'user section=other ${at('app.ini').replace(/'/g, '')}'`),
  ini(`'nokey section=other ${at('app.ini').replace(/'/g, '')} default=dflt'`),
  ini(`'user section=other ${at('app.ini').replace(/'/g, '')} re=False'`),
  ini(`'section=other ${at('app.ini').replace(/'/g, '')}'`),
  ini(`'user section=other foo=1'`),
  ini(`'port', section='mysqld', ${at('no-value.ini')}, allow_no_value=True`),
  ini(`'skip-name-resolve', section='mysqld', ${at('no-value.ini')}, allow_no_value=True`),
  ini(`'port', section='mysqld', ${at('no-value.ini')}`),
  ini(`'x', section='a', ${at('twice.ini')}`),
  ini(`'x', section='a', ${at('twice-key.ini')}`),
  ini(`'y', section='a', ${at('headless.ini')}`),
  ini(`'user.name', type='properties', ${at('app.properties')}`),
  ini(`'user.home', type='properties', ${at('app.properties')}`),
  ini(`'user', section='section1', file='no-such-file.ini'`),
  // csvfile
  csv(`'bob', ${at('hosts.csv')}, delimiter=','`),
  csv(`'bob ${at('hosts.csv').replace(/'/g, '')} delimiter=, col=2'`),
  csv(`'nobody', ${at('hosts.csv')}, delimiter=',', default='none'`),
  csv(`'nobody', ${at('hosts.csv')}, delimiter=','`),
  csv(`'k2', ${at('hosts.tsv')}`),
  csv(`'k2', ${at('hosts.tsv')}, col=-1`),
  csv(`'c d', ${at('hosts.csv')}, delimiter=',', col=2`),
  csv(`'multi\\nline', ${at('hosts.csv')}, delimiter=',', col=2`),
  csv(`'', ${at('hosts.csv')}, delimiter=','`),
  csv(`'alice', 'bob', ${at('hosts.csv')}, delimiter=','`),
  csv(`'1', ${at('hosts.csv')}, delimiter=',', keycol=1, col=0`),
  csv(`'bob', ${at('hosts.csv')}, delimiter=',', col=9`),
  csv(`'zed', ${at('hosts.csv')}, delimiter=',', col=2`),
  csv(`'bob', ${at('hosts.csv')}, delimiter=',', col='1'`),
  csv(`'bob', ${at('hosts.csv')}, delimiter=',', col='x'`),
  csv(`'bob', ${at('hosts.csv')}, delimiter=', '`),
  csv(`'bob', ${at('hosts.csv')}`),
  csv(`${at('hosts.csv')}`),
  v(`{{ query('csvfile', 'alice', 'bob', ${at('hosts.csv')}, delimiter=',') }}`),
];

describe('list, ini and csvfile lookups, as ansible-core 2.19 gives them', () => {
  it(`gives Ansible's result on all ${CASES.length} cases, and fails where it fails, saying why`, async () => {
    const theirs = await ansibleOutcomes(CASES, true);
    const differ = CASES.flatMap((c, i) => {
      const [a, q] = [theirs[i], quorumOutcome(c)];
      // the plugin's own words after 2.19's "The lookup plugin 'x' failed: "
      const reason = 'error' in a ? /plugin '[\w.]+' failed: (.*)/.exec(a.message)?.[1] : undefined;
      // a file not found: 2.19 opens None and says so; quorum names the file and where it looked
      const notFound = /Invalid filename None|not NoneType/.test(reason ?? '');
      const sameReason =
        !reason || ('error' in q && q.message.includes(notFound ? 'could not find' : reason));
      return agree(a, q) === 'differ' || !sameReason ? [{ src: c.src, ansible: a, quorum: q }] : [];
    });
    expect(differ).toEqual([]);
    expect(theirs.filter((o) => 'ok' in o).length).toBeGreaterThan(CASES.length * 0.6);
  });

  it("errors='warn': the value of 'ignore', and a warning in the event stream before the step", async () => {
    const play = workspace();
    writeFiles(play, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  gather_facts: false
  tasks:
    - name: warned
      debug: { msg: "[{{ lookup('file', '/nonexistent/w', errors='warn') }}]" }
    - name: quiet
      debug: { msg: "[{{ lookup('file', '/nonexistent/i', errors='ignore') }}]" }
`,
    });
    const r = await runLocal(play);
    expect(r.code).toBe(0);
    expect(steps(r).map((s) => String(s.message))).toEqual(['[]', '[]']);
    const warnings = r.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/lookup plugin 'file'.*\/nonexistent\/w/);
    const at = (pred: (e: (typeof r.events)[number]) => boolean) => r.events.findIndex(pred);
    expect(at((e) => e.type === 'warning')).toBeLessThan(at((e) => e.type === 'step' && e.task === 'warned'));
  });

  it('with_<name> loops give the lookup’s list: with_subelements drops the sub-key from the element', async () => {
    const users = [
      { name: 'a', keys: ['k1', 'k2'] },
      { name: 'b', keys: ['k3'] },
    ];
    const [expected] = await ansibleOutcomes(
      [v("{{ query('subelements', users, 'keys') }}", { users })],
      true,
    );
    const play = workspace();
    writeFiles(play, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': JSON.stringify([
        {
          hosts: 'all',
          gather_facts: false,
          vars: { users },
          tasks: [
            {
              name: 'sub',
              debug: { msg: '{{ item.0.keys is defined }}' },
              with_subelements: ['{{ users }}', 'keys'],
            },
            { name: 'together', debug: { msg: 'x' }, with_together: [[1, [2, 3]], ['a']] },
          ],
        },
      ]),
    });
    const r = await runLocal(play);
    expect(r.code).toBe(0);
    const items = (task: string) =>
      steps(r)
        .filter((s) => s.task === task)
        .map((s) => s.item);
    expect(expected).toHaveProperty('ok');
    expect(items('sub')).toEqual((expected as { ok: unknown }).ok);
    expect(
      steps(r)
        .filter((s) => s.task === 'sub')
        .map((s) => String(s.message)),
    ).toEqual(['false', 'false', 'false']);
    expect(items('together')).toEqual([
      [1, 'a'],
      [2, 3, null],
    ]);
  });
});
