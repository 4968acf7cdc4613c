/** The engine-free conditions answer exactly as the engine does, on every form they take. */
import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../src/template/expr.ts';
import { evalCondition } from '../../src/template/jinja/engine.ts';
import { fastCondition } from '../../src/template/jinja/fast.ts';

const vars = {
  s: 'yes',
  e: '',
  n: 3,
  z: 0,
  f: false,
  t: true,
  l: [],
  d: { a: { b: 'x' } },
  no: null,
  str0: '0',
};
const CASES = [
  's',
  'e',
  'n',
  'z',
  'f',
  't',
  'l',
  'd',
  'no',
  'str0',
  'not s',
  'not e',
  'd.a.b',
  'not d.a',
  'missing is defined',
  'missing is not defined',
  'd.a.b is defined',
  'd.q is defined',
  'd.q.r is not defined',
  "s == 'yes'",
  's != "no"',
  'n == 3',
  'n != 4',
  "d.a.b == 'x'",
  'z == 0',
];

describe('fast conditions', () => {
  it.each(CASES)('%s', (src) => {
    const fast = fastCondition(src, vars);
    expect(fast).toBeDefined();
    expect(fast).toEqual(evalCondition(src, vars));
  });

  it('an undefined value is the same error, and other forms go to the engine', () => {
    // the fast path names the missing variable; its caller makes the error the engine throws
    expect(fastCondition('missing', vars)).toMatchObject({ missing: 'missing' });
    expect(fastCondition('a.b.c', { a: { x: 1 } })).toMatchObject({ missing: 'a.b' });
    expect(() => evalCondition('missing', vars)).toThrow(/"missing" is undefined/);
    expect(() => evaluateCondition('missing', vars)).toThrow(/"missing" is undefined in condition: missing/);
    expect(() => evaluateCondition('missing > 2', vars)).toThrow(
      /"missing" is undefined in condition: missing > 2/,
    );
    for (const src of ["n == '3'", 's | bool', 'a and b', 'n > 2', "t == 'True'"])
      expect(fastCondition(src, vars)).toBeUndefined();
  });
});
