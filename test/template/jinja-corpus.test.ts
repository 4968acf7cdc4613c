/**
 * Differential test of quorum's Jinja2 against ansible-core's own templating: every expression,
 * condition and template in the corpus of public roles (test/corpus/roles) and every case of
 * test/corpus/expressions.yml, with the same vars, must give the value ansible-core 2.19 gives
 * (the reference: Debian 13's, unpacked by bin/setup-debian.sh), or fail where it fails. Where
 * 2.19 differs from Debian 12's 2.14 (native types, boolean conditionals: the README's
 * "Jinja2"), quorum gives 2.19's result.
 */

import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES_DIR } from '../corpus/jinja-cases.ts';
import { compareCorpus } from '../corpus/jinja-diff.ts';

describe('Jinja2 as ansible-core evaluates it', () => {
  type Row = Awaited<ReturnType<typeof compareCorpus>>[number];
  let rows: Row[] = [];
  // both Ansibles read the cases without blocking the worker (vitest's RPC deadline is 60 s)
  beforeAll(async () => {
    rows = await compareCorpus();
  });
  const show = (list: Row[]) =>
    list.map((r) => ({
      where: r.case.where,
      src: r.case.src.slice(0, 120),
      ansible219: r.ansible,
      ansible214: r.ansible214,
      quorum: r.quorum,
    }));

  it('reads the whole corpus', () => {
    // every role folder gives cases, and expressions.yml
    expect(new Set(rows.map((r) => r.case.role)).size).toBe(readdirSync(ROLES_DIR).length + 1);
    expect(rows.length).toBeGreaterThan(350);
  });

  it('gives the value ansible-core 2.19 gives, or fails where it fails', () => {
    expect(show(rows.filter((r) => r.verdict === 'differ'))).toEqual([]);
    // most cases have a value on both sides: the corpus is not passing on errors alone
    const valued = rows.filter((r) => r.verdict === 'same' || r.verdict === 'same-set');
    expect(valued.length / rows.length).toBeGreaterThan(0.85);
  });

  it('follows 2.19 where 2.14 gives another result: native types, boolean conditionals', () => {
    const moved = rows.filter((r) => !r.versionsAgree && r.verdict !== 'differ');
    // a number stays a number (2.14: text), None stays None (2.14: '')
    const values = (r: (typeof rows)[number]) =>
      'ok' in r.ansible214 && 'ok' in r.quorum ? [r.ansible214.ok, r.quorum.ok] : [];
    expect(moved.some((r) => typeof values(r)[0] === 'string' && typeof values(r)[1] === 'number')).toBe(
      true,
    );
    expect(moved.some((r) => values(r)[0] === '' && values(r)[1] === null)).toBe(true);
    // `when: enabled` with enabled: "yes" is refused, as 2.19 refuses it
    expect(
      moved.some(
        (r) => r.case.kind === 'cond' && 'error' in r.quorum && /boolean result/.test(r.quorum.message),
      ),
    ).toBe(true);
  });

  it("takes a set's order of union and difference as Ansible's (it changes from run to run in 2.19)", () => {
    const setCases = rows.filter((r) => /\|\s*(union|difference|intersect)\b/.test(r.case.src));
    expect(setCases.length).toBeGreaterThanOrEqual(3);
    for (const r of setCases) expect(['same', 'same-set']).toContain(r.verdict);
  });
});
