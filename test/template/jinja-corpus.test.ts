/**
 * Differential test of quorum's Jinja2 against ansible-core's own templating: every expression,
 * condition and template in the corpus of public roles (test/corpus/roles) and every case of
 * test/corpus/expressions.yml, with the same vars, must give the same value, or fail in both.
 */
import { describe, expect, it } from 'vitest';
import { compareCorpus } from '../corpus/jinja-diff.ts';

describe('Jinja2 as ansible-core evaluates it', () => {
  const rows = compareCorpus();

  it('reads the whole corpus', () => {
    expect(new Set(rows.map((r) => r.case.role)).size).toBe(15);
    expect(rows.length).toBeGreaterThan(350);
  });

  it('gives the value ansible-core gives, or fails where it fails', () => {
    const differ = rows
      .filter((r) => r.verdict === 'differ')
      .map((r) => ({
        where: r.case.where,
        src: r.case.src.slice(0, 120),
        ansible: r.ansible,
        quorum: r.quorum,
      }));
    expect(differ).toEqual([]);
    // most cases have a value on both sides: the corpus is not passing on errors alone
    expect(rows.filter((r) => r.verdict === 'same').length / rows.length).toBeGreaterThan(0.85);
  });
});
