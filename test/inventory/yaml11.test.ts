import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { loadYaml, UnsafeText } from '../../src/yaml/load.ts';

// PyYAML (YAML 1.1) typing, which is how Ansible reads inventories and playbooks.
describe('YAML 1.1 scalars as PyYAML types them', () => {
  it.each([
    ['yes', true],
    ['On', true],
    ['off', false],
    ['y', 'y'],
    ['1:20', 80],
    ['0755', 493],
    ['08', '08'],
    ['0x1F', 31],
    ['1_000', 1000],
    ['1.5e3', '1.5e3'],
    ['1.5e+3', 1500],
    ['0o17', '0o17'],
    ['~', null],
    ['2001-12-14', '2001-12-14'],
    ['2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43.100000-05:00'],
    ['"yes"', 'yes'],
    ['!!str 12', '12'],
  ])('%s', (text, expected) => {
    expect(loadYaml(`v: ${text}\n`, 'x.yml')).toEqual({ v: expected });
  });

  it('marks !unsafe text', () => {
    const doc = loadYaml("v: !unsafe '{{ x }}'\n", 'x.yml') as { v: UnsafeText };
    expect(doc.v).toBeInstanceOf(UnsafeText);
    expect(JSON.parse(JSON.stringify(doc))).toEqual({ v: { __ansible_unsafe: '{{ x }}' } });
  });

  it('merges << keys under explicit ones and lets the last duplicate win', () => {
    const doc = loadYaml('base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\nd: 1\nd: 2\n', 'x.yml');
    expect(doc).toEqual({ base: { a: 1, b: 2 }, m: { a: 1, b: 3 }, d: 2 });
  });

  it('names file:line:col for a syntax error', () => {
    let error: unknown;
    try {
      loadYaml('a: [1,\nb: 2\n', 'bad.yml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^invalid YAML: /);
    expect((error as InputError).location).toEqual({ file: 'bad.yml', line: 2, col: 1 });
  });
});
