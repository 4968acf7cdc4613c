import { describe, expect, it } from 'vitest';
import { iniValue } from '../../src/inventory/py-literal.ts';

// Each row: the INI text and what Python's ast.literal_eval (as Ansible applies it) makes of it.
describe('INI values are typed like ast.literal_eval', () => {
  it.each([
    ['8080', 8080],
    ['-5', -5],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['1e3', 1000],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['True', true],
    ['False', false],
    ['None', null],
    ["'quoted'", 'quoted'],
    ['"a" \'b\'', 'ab'],
    ["'tab\\there'", 'tab\there'],
    ["r'raw\\n'", 'raw\\n'],
    ['[1, 2, 3]', [1, 2, 3]],
    ['(1, 2)', [1, 2]],
    ['80,443', [80, 443]],
    ['(1,)', [1]],
    ['()', []],
    ["{'a': 1, 'b': [True, None]}", { a: 1, b: [true, null] }],
    ['{1: "x", True: "y", None: "z"}', { 1: 'x', true: 'y', null: 'z' }],
    ['1 # a comment', 1],
  ])('%s', (raw, expected) => {
    expect(iniValue(raw)).toEqual(expected);
  });

  it.each([
    '007',
    'true',
    'yes',
    'hello',
    'a b c',
    'http://x/y#frag',
    '1abc',
    '1.2.3',
    "f'x'",
    '1+2j',
    '',
    "'open",
    'inf',
  ])('%s stays a string', (raw) => {
    expect(iniValue(raw)).toBe(raw);
  });
});
