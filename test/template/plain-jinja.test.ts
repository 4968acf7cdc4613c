/**
 * Jinja2 template files filled in without the engine (src/template/plain-jinja.ts) must be the
 * engine's text to the byte: generated templates of text, newlines and plain `{{ path }}` parts
 * rendered both ways. What the fast path declines (other value types, blocks, filters, undefined
 * names) is the engine's, and must be declined, not guessed.
 */
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/template/jinja/engine.ts';
import { plainJinjaFile } from '../../src/template/plain-jinja.ts';

const VARS = {
  s: 'text',
  d: { k: 'v', deep: { x: 'y' } },
  nl: 'line\n',
  nl2: 'two\n\n',
  empty: '',
  uni: 'ü – 日本',
  braces: 'a }} b',
  n: 5,
  f: 2.5,
  b: true,
  nothing: null,
  list: ['a'],
  templated: '{{ s }}',
};
const TEXT = ['a', ' ', '\n', '\n\n', 'x = ', '}}', '{ ', 'ü', '# c', '  ', 'key: '];
const PARTS = [
  '{{ s }}',
  '{{s}}',
  '{{ d.k }}',
  '{{ d.deep.x }}',
  '{{ nl }}',
  '{{ nl2 }}',
  '{{ empty }}',
  '{{ uni }}',
  '{{ braces }}',
];
const DECLINED = [
  '{{ n }}',
  '{{ f }}',
  '{{ b }}',
  '{{ nothing }}',
  '{{ list }}',
  '{{ templated }}',
  '{{ missing }}',
  '{{ d.none }}',
  '{{ s | upper }}',
  '{{- s }}',
  '{% if b %}x{% endif %}',
  '{# c #}',
];

/** A small deterministic generator (mulberry32): the same templates on every run. */
function generator(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function template(next: () => number, parts: string[]): string {
  const pick = (xs: string[]) => xs[Math.floor(next() * xs.length)];
  let out = '';
  for (let i = Math.floor(next() * 8); i >= 0; i--) out += next() < 0.5 ? pick(TEXT) : pick(parts);
  return out;
}

describe('Jinja2 files without the engine', () => {
  it('fill in plain text parts exactly as the engine does, newlines at the end too', () => {
    const next = generator(21);
    let fast = 0;
    for (let i = 0; i < 1500; i++) {
      const body = template(next, PARTS);
      const out = plainJinjaFile(body, VARS);
      if (out === undefined) continue;
      fast++;
      expect({ body, out }).toEqual({ body, out: renderText(body, VARS).text });
    }
    // every template of these parts qualifies
    expect(fast).toBe(1500);
  });

  it('decline what the engine decides: other types, blocks, filters, undefined names', () => {
    const next = generator(7);
    for (let i = 0; i < 300; i++) {
      const body = `${template(next, PARTS)}${DECLINED[i % DECLINED.length]}${template(next, PARTS)}`;
      expect(plainJinjaFile(body, VARS), body).toBeUndefined();
    }
  });
});
