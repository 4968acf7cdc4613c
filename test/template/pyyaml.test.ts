/**
 * to_yaml and to_nice_yaml write what Ansible writes: yaml.dump with Ansible's dumper, which is
 * libyaml's emitter (CSafeDumper) where PyYAML has it, as on Debian. Held to the yaml.dump of the
 * python that has Ansible
 * on generated values: every text style (plain, quoted, escaped, folded past the width), nesting,
 * empty collections, both flow styles, several indents and widths.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pyYamlDump } from '../../src/template/jinja/pyyaml.ts';
import { ANSIBLE_PYTHON } from '../corpus/jinja-diff.ts';

const TEXTS = [
  '',
  'plain',
  'two words',
  'true',
  'yes',
  'no',
  'on',
  'null',
  '~',
  '1',
  '0755',
  '0x1f',
  '1:20',
  '1.5',
  '1e3',
  '.inf',
  '2024-01-02',
  '<<',
  '=',
  'a: b',
  'a:b',
  'key:',
  '- x',
  '-x',
  '#c',
  'a #c',
  'a#c',
  "it's",
  '"q"',
  '[x]',
  '{x}',
  'x, y',
  '? x',
  '@x',
  '`x',
  '%x',
  '&x',
  '*x',
  '!x',
  '|x',
  '>x',
  ' lead',
  'trail ',
  'tab\there',
  'two\nlines',
  'end\n',
  '\nstart',
  'a \nb',
  'a\n b',
  'ünïcødé',
  'emoji 😀',
  'nbsp\u00a0x',
  'bell\u0007',
  '---',
  '...x',
  'word '.repeat(25).trim(),
  `${'long-'.repeat(20)}tail`,
  `'${'q '.repeat(50)}'`,
  `${'x '.repeat(45)}\n${'y '.repeat(10)}`,
  `tab\t${'w '.repeat(50)}`,
];

/** A deterministic generator: the same values on every run. */
function* values(seed: number, count: number): Generator<unknown> {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const scalar = (): unknown => {
    const r = next();
    if (r < 0.6) return TEXTS[Math.floor(next() * TEXTS.length)];
    if (r < 0.7) return Math.floor(next() * 20000) - 10000;
    if (r < 0.8) return [0.5, 1.25, -3.75, 1e-5, 1e20, 0.1][Math.floor(next() * 6)];
    if (r < 0.9) return next() < 0.5;
    return null;
  };
  const value = (depth: number): unknown => {
    const r = next();
    if (depth > 3 || r < 0.35) return scalar();
    const n = Math.floor(next() * 4);
    if (r < 0.65) return Array.from({ length: n }, () => value(depth + 1));
    const d: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) d[String(TEXTS[Math.floor(next() * TEXTS.length)] || 'k')] = value(depth + 1);
    return d;
  };
  for (let i = 0; i < count; i++) yield value(0);
}

const PYTHON = `
import json, sys, yaml
Dumper = getattr(yaml, 'CSafeDumper', yaml.SafeDumper)
out = []
for case in json.load(sys.stdin):
    out.append(yaml.dump(case['v'], Dumper=Dumper, allow_unicode=True, **case['o']))
print(json.dumps(out))
`;

interface Case {
  v: unknown;
  o: { indent?: number; width?: number; default_flow_style?: boolean | null; sort_keys?: boolean };
}

function pythonDumps(cases: Case[]): string[] {
  return JSON.parse(
    execFileSync(ANSIBLE_PYTHON, ['-c', PYTHON], { input: JSON.stringify(cases), encoding: 'utf8' }),
  );
}

describe("YAML as Ansible's to_yaml writes it", () => {
  it('is byte for byte what yaml.dump writes, for every text style and nesting', () => {
    const options: Case['o'][] = [
      { default_flow_style: null },
      { default_flow_style: false, indent: 4 },
      { default_flow_style: false, indent: 2, width: 40 },
      { default_flow_style: null, indent: 3, sort_keys: false },
    ];
    const cases: Case[] = [];
    for (const o of options) {
      for (const t of TEXTS) cases.push({ v: { k: t, l: [t, { n: t }] }, o });
      for (const v of values(cases.length + 7, 150)) cases.push({ v, o });
    }
    const expected = pythonDumps(cases);
    const differ = cases
      .map((c, i) => ({
        value: c.v,
        options: c.o,
        python: expected[i],
        quorum: pyYamlDump(c.v, {
          indent: c.o.indent,
          width: c.o.width,
          flowStyle: c.o.default_flow_style,
          sortKeys: c.o.sort_keys,
        }),
      }))
      .filter((r) => r.python !== r.quorum);
    expect(differ.slice(0, 3)).toEqual([]);
    expect(differ.length).toBe(0);
    expect(cases.length).toBeGreaterThan(800);
  });
});
