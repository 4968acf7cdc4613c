/**
 * One play through quorum and through ansible-playbook 2.19 on the local host, each writing
 * under its own folder (`out` in the play: DIR/q for quorum, DIR/a for Ansible, both made
 * first, since Ansible's copy writes only into a folder that exists).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ansibleStatuses, folded } from './ansible-log.ts';
import { ansibleCurrent, type OracleResult } from './ansible-oracle.ts';
import { quorumAsync } from './cli.ts';
import { type LocalRun, playArgs, runLocal, steps, workspace, writeFiles } from './run-local.ts';

export { ansibleStatuses };

export interface SideBySide {
  dir: string;
  out: { quorum: string; ansible: string };
  run: LocalRun;
  oracle: OracleResult;
}

export async function sideBySide(
  play: (out: string) => string,
  files: Record<string, string> = {},
  ansibleArgs: (dir: string) => string[] = () => [],
  /** One after the other: both sides change something machine-wide that takes a lock (debconf's database). */
  sequential = false,
  /** Makes what both sides read (links, times) in the workspace before either runs. */
  prepare: (dir: string) => void = () => {},
  /** quorum's run: in this process by default, runCli for one that blocks long */
  quorumSide?: (dir: string) => Promise<LocalRun>,
): Promise<SideBySide> {
  const dir = workspace();
  const out = { quorum: join(dir, 'q'), ansible: join(dir, 'a') };
  for (const d of Object.values(out)) mkdirSync(d);
  prepare(dir);
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': play(out.quorum),
    'ansible.yml': play(out.ansible),
    ...files,
  });
  const ansible = () =>
    ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', ...ansibleArgs(dir)], dir);
  const [run, oracle] = sequential
    ? [await runLocal(dir), await ansible()]
    : await Promise.all([(quorumSide ?? runLocal)(dir), ansible()]);
  return { dir, out, run, oracle };
}

/**
 * quorum's side through its CLI (`play --json`), not in this process: a run that blocks its
 * event loop for long (each Python plugin call is a Python start, made synchronously inside a
 * template's render) must not block the test worker past vitest's 60 s RPC deadline. Its
 * events only (no recorded commands).
 */
export async function runCli(dir: string, env?: NodeJS.ProcessEnv): Promise<LocalRun> {
  const r = await quorumAsync(playArgs(dir, '--json'), { env });
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  return { code: r.code, events, transports: new Map(), maxConcurrentActions: 0 };
}

/** A play task "what FILE sees" writing the value of `expr` as JSON to out/FILE: what each side saw there. */
export const seenTask = (out: string, file: string, expr: string) => `
    - name: what ${file} sees
      copy:
        dest: ${out}/${file}
        content: "{{ ${expr} | to_json }}\\n"`;

/** A table of [name, arguments, fails?] as play tasks of `module`, each registered as r<index>, a failing one ignored. */
export function tableTasks(
  module: string,
  tasks: ReadonlyArray<readonly [string, string, boolean?]>,
): string {
  return tasks
    .map(
      ([name, args, fails], i) =>
        `    - name: ${JSON.stringify(name)}\n      ${module}: { ${args} }\n      register: r${i}\n      ignore_errors: ${fails === true}`,
    )
    .join('\n');
}

/**
 * A task writing the registered r0..r(count-1) to `dest` as JSON, the keys `drop` left out
 * (what differs by nature: invocation, a command's own output): how the module tests compare
 * what both engines register.
 */
export function resultsTask(dest: string, count: number, drop: string[]): string {
  const registered = Array.from({ length: count }, (_, i) => `r${i}`).join(', ');
  const keys = drop.map((k) => `'${k}'`).join(', ');
  return [
    '    - name: results',
    '      copy:',
    `        dest: ${dest}`,
    `        content: "{{ [${registered}] | map('dict2items') | map('rejectattr', 'key', 'in', [${keys}]) | map('items2dict') | to_json }}"`,
  ].join('\n');
}

/** What `resultsTask` wrote, the side's folder `dir` written as DIR. */
export const writtenResults = (file: string, dir: string): Array<Record<string, unknown>> =>
  JSON.parse(readFileSync(file, 'utf8').replaceAll(dir, 'DIR'));

/** Both sides ran to the end without a failure (quorum's failed steps shown if not). */
export function bothSucceeded({ run, oracle }: Pick<SideBySide, 'run' | 'oracle'>): void {
  expect(oracle.code, oracle.stdout).toBe(0);
  expect(run.code, JSON.stringify(steps(run).filter((s) => s.status === 'failed'))).toBe(0);
}

/** Both sides ran to the end and quorum's status of each task is ansible-playbook's; quorum's, by task. */
export function sameStatuses({ run, oracle }: Pick<SideBySide, 'run' | 'oracle'>): Record<string, string> {
  expect(oracle.code, oracle.stdout).toBe(0);
  expect(run.code).toBe(0);
  const byTask = new Map<string, string[]>();
  for (const s of steps(run)) byTask.set(s.task, [...(byTask.get(s.task) ?? []), s.status]);
  const mine = Object.fromEntries([...byTask].map(([task, statuses]) => [task, folded(statuses)]));
  expect(mine).toEqual(ansibleStatuses(oracle.stdout));
  return mine;
}

/** A check run of `play` (DIR/check.yml) plans nothing but its `results` task. */
export async function checkPlansNothing(dir: string, play: string) {
  writeFileSync(join(dir, 'check.yml'), play);
  const check = await runLocal(dir, { playbook: 'check.yml', check: true });
  expect(steps(check).filter((s) => s.status !== 'ok' && s.task !== 'results')).toEqual([]);
}

/** Both sides registered the same (what `resultsTask` wrote to results.json in each folder); quorum's. */
export function sameResults(out: SideBySide['out']): Array<Record<string, unknown>> {
  const mine = writtenResults(join(out.quorum, 'results.json'), out.quorum);
  expect(mine).toEqual(writtenResults(join(out.ansible, 'results.json'), out.ansible));
  return mine;
}

/**
 * The same play run again through both engines on what the first run left: the tasks each
 * changed (the `results` task aside), which must be the same; quorum's.
 */
export async function changedAgain(dir: string): Promise<string[]> {
  const [mine, theirs] = await Promise.all([
    runLocal(dir),
    ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml'], dir),
  ]);
  const changed = steps(mine)
    .filter((s) => s.status === 'changed' && s.task !== 'results')
    .map((s) => s.task);
  const theirChanged = Object.entries(ansibleStatuses(theirs.stdout))
    .filter(([t, s]) => s === 'changed' && t !== 'results')
    .map(([t]) => t);
  expect(changed).toEqual(theirChanged);
  return changed;
}
