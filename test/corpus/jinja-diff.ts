/**
 * Runs each corpus case through quorum's templating and through ansible-core's, and compares.
 * `node --import tsx test/corpus/jinja-diff.ts` prints the figures and every difference.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { evaluateCondition } from '../../src/template/expr.ts';
import { OMIT } from '../../src/template/jinja/engine.ts';
import { MissingVariable, renderJinjaFile, renderString } from '../../src/template/render.ts';
import { type Case, corpusCases, expressionCases } from './jinja-cases.ts';

export type Outcome = { ok: unknown } | { error: string; message: string };

/** The python that has ansible-core (Debian's, whatever `python3` is first on PATH). */
export const ANSIBLE_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Debian 13's ansible-core (2.19), unpacked by test/helpers/ansible-current.sh (bin/setup-debian.sh runs it). */
export function currentAnsiblePath(): string {
  const script = new URL('../helpers/ansible-current.sh', import.meta.url).pathname;
  const prefix = execFileSync('bash', [script, '--prefix'], { encoding: 'utf8' }).trim();
  return `${prefix}/lib/python3/dist-packages`;
}

/** The cases through ansible-core: Debian 12's 2.14, or with `current` the reference, 2.19. */
export async function ansibleOutcomes(cases: Case[], current = false): Promise<Outcome[]> {
  const helper = new URL('../helpers/ansible-template.py', import.meta.url).pathname;
  // a play defines `omit` as a placeholder; quorum's is the same text
  const input = JSON.stringify(
    cases.map(({ kind, src, vars }) => ({ kind, src, vars: { ...vars, omit: OMIT } })),
  );
  const env = current ? { ...process.env, PYTHONPATH: currentAnsiblePath() } : process.env;
  return JSON.parse(await pythonWithInput(helper, input, env));
}

/**
 * The helper run without blocking the test worker: a worker blocked past 60 s (hundreds of
 * cases on a loaded 2-core machine) misses vitest's RPC deadline and fails a green run.
 */
function pythonWithInput(helper: string, input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ANSIBLE_PYTHON, [helper], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`${helper} exited ${code}: ${Buffer.concat(err).toString('utf8')}`)),
    );
    child.stdin.end(input);
  });
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

/**
 * union, difference, intersect and symmetric_difference give a Python set's order in 2.19
 * (2.14 kept the first list's order): for text that order changes from one run of Ansible to
 * the next (hash randomisation), so any order of the same items is Ansible's result. quorum
 * keeps the first-seen order.
 */
const SET_FILTER = /\|\s*(?:union|difference|intersect|symmetric_difference)\b/;

export function sameAsSet(c: Case, a: Outcome, q: Outcome): boolean {
  if (!SET_FILTER.test(c.src) || !('ok' in a) || !('ok' in q)) return false;
  const sorted = (v: unknown) =>
    Array.isArray(v) ? JSON.stringify([...v].map((x) => JSON.stringify(x)).sort()) : '';
  return sorted(a.ok) !== '' && sorted(a.ok) === sorted(q.ok);
}

export async function compareCorpus() {
  const cases = [...corpusCases(), ...expressionCases()];
  const [old, current] = await Promise.all([ansibleOutcomes(cases), ansibleOutcomes(cases, true)]);
  return cases.map((c, i) => {
    const quorum = quorumOutcome(c);
    const plain = agree(current[i], quorum);
    const verdict = plain === 'differ' && sameAsSet(c, current[i], quorum) ? 'same-set' : plain;
    return {
      case: c,
      ansible: current[i],
      ansible214: old[i],
      quorum,
      verdict,
      /** 2.14 and 2.19 give the same (or both fail alike). */
      versionsAgree: agree(old[i], current[i]) !== 'differ',
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await compareCorpus();
  const count = (v: string) => rows.filter((r) => r.verdict === v).length;
  console.log(
    `cases ${rows.length} against ansible-core 2.19: same ${count('same')}, same items in a set's order ${count('same-set')}, both undefined ${count('both-undefined')}, both other error ${count('both-error')}, differ ${count('differ')}; 2.14 and 2.19 differ on ${rows.filter((r) => !r.versionsAgree).length}`,
  );
  for (const r of rows.filter((x) => x.verdict === 'differ'))
    console.log(
      `\n${r.case.where} [${r.case.kind}] ${JSON.stringify(r.case.src.slice(0, 200))}\n  2.19:   ${JSON.stringify(r.ansible).slice(0, 300)}\n  2.14:   ${JSON.stringify(r.ansible214).slice(0, 300)}\n  quorum: ${JSON.stringify(r.quorum).slice(0, 300)}`,
    );
}

/** The cases through ansible-core 2.19 and quorum: 2.19's outcomes, and the cases whose outcomes differ. */
export async function against219(cases: Case[]) {
  const theirs = await ansibleOutcomes(cases, true);
  const differ = cases.flatMap((c, i) => {
    const mine = quorumOutcome(c);
    return agree(theirs[i], mine) === 'differ'
      ? [{ src: c.src, vars: c.vars, ansible: theirs[i], quorum: mine }]
      : [];
  });
  return { theirs, differ };
}

/** A case whose outcome is the value `src` renders to with `vars`, under the name `role`. */
export const valueCase =
  (role: string) =>
  (src: string, vars: Record<string, unknown> = {}): Case => ({ role, where: src, kind: 'value', src, vars });
