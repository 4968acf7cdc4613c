/**
 * json_query (community.general) held to what the filter computes in Ansible: Python's jmespath
 * (1.0.1, Debian's python3-jmespath, the library the filter calls) on the same data and
 * expressions, the expressions real roles write (filters, projections, multiselect, functions,
 * pipes, literals); an expression that does not parse fails in both. Through quorum's template
 * engine, by both of the filter's names.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderString } from '../../src/template/render.ts';
import { ANSIBLE_PYTHON } from '../corpus/jinja-diff.ts';

const DATA = {
  users: [
    { name: 'alice', uid: 1001, groups: ['wheel', 'dev'], shell: '/bin/bash', state: 'present' },
    { name: 'bob', uid: 1002, groups: [], shell: '/bin/zsh', state: 'absent' },
    { name: 'carol', uid: 999, groups: ['dev'], state: 'present', meta: { home: '/srv/carol' } },
  ],
  ports: { http: 80, https: 443, admin: null },
  nested: [[1, 2], [3, [4, 5]], []],
  interfaces: [
    { device: 'eth0', ipv4: { address: '192.0.2.10', netmask: '255.255.255.0' }, active: true },
    { device: 'lo', ipv4: { address: '127.0.0.1' }, active: false },
  ],
  ratio: 0.25,
  label: 'web-01',
};

const EXPRESSIONS = [
  'users[*].name',
  "users[?state=='present'].name",
  'users[?uid > `1000`].{name: name, shell: shell}',
  'users[?contains(groups, `dev`)].name | sort(@)',
  'users[?!groups]',
  'users[0].meta.home',
  'users[2].meta.home',
  'users[-1]',
  'users[::2].name',
  'users | length(@)',
  'max_by(users, &uid).name',
  'sort_by(users, &uid)[*].uid',
  'users[].groups[]',
  'nested[]',
  'nested[][]',
  'ports.*',
  'keys(ports)',
  'values(ports)',
  'interfaces[?active].ipv4.address | [0]',
  'interfaces[*].[device, ipv4.netmask]',
  "join(', ', users[*].name)",
  "users[?starts_with(name, 'c')].uid",
  'to_string(ports.http)',
  "to_number('42')",
  'sum(users[*].uid)',
  'avg(`[1, 2]`)',
  'ratio',
  'not_there',
  'users[?meta].meta.home | [0]',
  "label == 'web-01'",
  '`{"a": [1, null]}`.a',
  'reverse(users[*].name)',
  'map(&name, users)',
  'merge(ports, `{"ssh": 22}`)',
  'users[?uid > `1000` && state == `"present"`].name',
  'users[', // does not parse
  'abs(label)', // a function given the wrong type
];

function python(): Array<{ ok?: unknown; error?: string }> {
  const script = `
import json, sys, jmespath
data, exprs = json.load(sys.stdin)
out = []
for e in exprs:
    try:
        out.append({"ok": jmespath.search(e, data)})
    except Exception as x:
        out.append({"error": type(x).__name__})
print(json.dumps(out))
`;
  return JSON.parse(
    execFileSync(ANSIBLE_PYTHON, ['-c', script], {
      input: JSON.stringify([DATA, EXPRESSIONS]),
      encoding: 'utf8',
    }),
  );
}

function quorum(expression: string, name: string): { ok?: unknown; error?: string } {
  try {
    // quoted as a playbook writes it: in {{ }} a backslash stays in the text (Ansible's escape_backslashes)
    const quote = expression.includes("'") ? '"' : "'";
    return { ok: renderString(`{{ data | ${name}(${quote}${expression}${quote}) }}`, { data: DATA }) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('json_query, as the Python jmespath Ansible calls', () => {
  const expected = python();

  it.each(EXPRESSIONS.map((e, i) => [e, i] as const))('%s', (expression, i) => {
    for (const name of ['json_query', 'community.general.json_query']) {
      const mine = quorum(expression, name);
      if (expected[i].error) {
        expect(mine.error, JSON.stringify(mine.ok)).toMatch(/JMESPathError in json_query filter plugin/);
      } else {
        expect(mine.error).toBeUndefined();
        expect(mine.ok).toEqual(expected[i].ok);
      }
    }
  });
});
