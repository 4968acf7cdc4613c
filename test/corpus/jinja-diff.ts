/**
 * Runs each corpus case through quorum's templating and through ansible-core's, and compares.
 * `node --import tsx test/corpus/jinja-diff.ts` prints the figures and every difference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { evaluateCondition } from '../../src/template/expr.ts';
import { OMIT } from '../../src/template/jinja/engine.ts';
import { MissingVariable, renderJinjaFile, renderString } from '../../src/template/render.ts';
import { type Case, corpusCases, expressionCases } from './jinja-cases.ts';

export type Outcome = { ok: unknown } | { error: string; message: string };

/** The python that has ansible-core (Debian's, whatever `python3` is first on PATH). */
export const ANSIBLE_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export function ansibleOutcomes(cases: Case[]): Outcome[] {
  const helper = new URL('../helpers/ansible-template.py', import.meta.url).pathname;
  // a play defines `omit` as a placeholder; quorum's is the same text
  const input = JSON.stringify(
    cases.map(({ kind, src, vars }) => ({ kind, src, vars: { ...vars, omit: OMIT } })),
  );
  return JSON.parse(execFileSync(ANSIBLE_PYTHON, [helper], { input, maxBuffer: 64 << 20, encoding: 'utf8' }));
}

export function quorumOutcome(c: Case): Outcome {
  try {
    if (c.kind === 'cond') return { ok: evaluateCondition(c.src, c.vars).value };
    if (c.kind === 'file') return { ok: renderJinjaFile(c.src, c.vars, c.where) };
    return { ok: renderString(c.src, c.vars) };
  } catch (e) {
    const undefinedVar = e instanceof MissingVariable || (e as { code?: string }).code === 'EXPR_UNDEFINED';
    return { error: undefinedVar ? 'undefined' : (e as Error).name, message: (e as Error).message };
  }
}

/** Same value, or both refused for an undefined variable (a registered result, a loop item). */
export function agree(a: Outcome, q: Outcome): 'same' | 'both-undefined' | 'both-error' | 'differ' {
  if ('ok' in a && 'ok' in q) return isDeepStrictEqual(a.ok, q.ok) ? 'same' : 'differ';
  if ('error' in a && 'error' in q)
    return a.error === 'undefined' && q.error === 'undefined' ? 'both-undefined' : 'both-error';
  return 'differ';
}

export function compareCorpus() {
  const cases = [...corpusCases(), ...expressionCases()];
  const ansible = ansibleOutcomes(cases);
  const rows = cases.map((c, i) => ({
    case: c,
    ansible: ansible[i],
    quorum: quorumOutcome(c),
    verdict: agree(ansible[i], quorumOutcome(c)),
  }));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = compareCorpus();
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  console.log(
    `cases ${rows.length}: same ${count('same')}, both undefined ${count('both-undefined')}, both other error ${count('both-error')}, differ ${count('differ')}`,
  );
  for (const r of rows.filter((x) => x.verdict === 'differ'))
    console.log(
      `\n${r.case.where} [${r.case.kind}] ${JSON.stringify(r.case.src.slice(0, 200))}\n  ansible: ${JSON.stringify(r.ansible).slice(0, 300)}\n  quorum:  ${JSON.stringify(r.quorum).slice(0, 300)}`,
    );
}
