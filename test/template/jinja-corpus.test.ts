/**
 * Differential test of quorum's Jinja2 against ansible-core's own templating: every expression,
 * condition and template in the corpus of public roles (test/corpus/roles) and every case of
 * test/corpus/expressions.yml, with the same vars, must give the value ansible-core 2.19 gives
 * (the reference: Debian 13's, unpacked by bin/setup-debian.sh), or fail where it fails. Where
 * 2.19 differs from Debian 12's 2.14, quorum gives 2.14's result in three known ways only (the
 * README's "Jinja2" lists them); everywhere the two versions agree, quorum agrees with both.
 */
import { describe, expect, it } from 'vitest';
import { compareCorpus } from '../corpus/jinja-diff.ts';

describe('Jinja2 as ansible-core evaluates it', () => {
  const rows = compareCorpus();
  const show = (list: typeof rows) =>
    list.map((r) => ({
      where: r.case.where,
      src: r.case.src.slice(0, 120),
      ansible219: r.ansible,
      ansible214: r.ansible214,
      quorum: r.quorum,
    }));

  it('reads the whole corpus', () => {
    expect(new Set(rows.map((r) => r.case.role)).size).toBe(15);
    expect(rows.length).toBeGreaterThan(350);
  });

  it('gives the value ansible-core 2.19 gives, or fails where it fails', () => {
    expect(show(rows.filter((r) => r.verdict === 'differ' && !r.known))).toEqual([]);
    // most cases have a value on both sides: the corpus is not passing on errors alone
    const valued = rows.filter((r) => r.verdict === 'same' || (r.known && 'ok' in r.quorum));
    expect(valued.length / rows.length).toBeGreaterThan(0.85);
  });

  it("gives 2.14's result instead only where the two versions differ, in the listed ways", () => {
    const known = rows.filter((r) => r.known);
    expect(show(known.filter((r) => r.versionsAgree))).toEqual([]);
    expect(new Set(known.map((r) => r.known))).toEqual(
      new Set(['native-types', 'boolean-conditionals', 'set-order']),
    );
    // and where quorum follows 2.19 already (FQCN of Jinja2's own tests), 2.14 differs from both
    expect(rows.some((r) => !r.versionsAgree && r.verdict === 'same')).toBe(true);
  });
});
