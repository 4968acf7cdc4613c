/**
 * The differential of a playbook run by ansible-playbook (ansible-core 2.19) and by quorum on two fresh lab hosts:
 * per task the same status, and the same files written. Ansible runs with built-in defaults
 * (a throw-away HOME, no ansible.cfg) and the result callback in test/helpers/ansible_callbacks.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { ensureLab, labInventory, playJsonAsync, upperSnapshot } from '../helpers/lab.ts';

const run = promisify(execFile);
const CALLBACKS = join(import.meta.dirname, '../helpers/ansible_callbacks');
/** ansible-core 2.19, the reference (test/helpers/ansible-current.sh). */
const CURRENT = join(import.meta.dirname, '../helpers/ansible-current.sh');
export const CORPUS_ROLES = join(import.meta.dirname, '../corpus/roles');

export type Status = 'ok' | 'changed' | 'skipped' | 'failed';
export interface TaskResult {
  key: string;
  status: Status;
  message?: string;
}

/** Task results of ansible-playbook on one host, in order; includes and fact gathering left out. */
export async function ansibleResults(playbook: string, host: string, check: boolean): Promise<TaskResult[]> {
  const home = mkdtempSync(join(tmpdir(), 'quorum-ansible-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  const { stdout } = await run(
    'bash',
    [CURRENT, 'ansible-playbook', '-i', labInventory(), playbook, '-l', host, ...(check ? ['--check'] : [])],
    {
      cwd: home,
      maxBuffer: 64 << 20,
      env: {
        ...env,
        HOME: home,
        LC_ALL: 'C.UTF-8',
        ANSIBLE_ROLES_PATH: CORPUS_ROLES,
        ANSIBLE_CALLBACK_PLUGINS: CALLBACKS,
        ANSIBLE_STDOUT_CALLBACK: 'quorum_results',
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_NOCOLOR: '1',
      },
    },
  ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '[]' }));
  const rows = JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as Array<{
    task: string;
    action: string;
    status: string;
    message: string;
  }>;
  return keyed(
    rows
      .filter(
        (r) =>
          r.task !== 'Gathering Facts' &&
          !/^(ansible\.builtin\.)?(include_tasks|import_tasks|include_role|import_role|meta)$/.test(r.action),
      )
      .map((r) => ({
        name: r.task,
        status: (r.status === 'ignored' ? 'failed' : r.status) as Status,
        message: r.message,
      })),
  );
}

/** quorum's step events folded per task (a loop's items, one after another, into one), in order; includes left out. */
export function quorumResults(events: RunEvent[]): TaskResult[] {
  // a task met again after others (the same file included once per item) is a result of its own
  const runs: Array<{ name: string; statuses: Status[] }> = [];
  for (const e of events) {
    // includes are left out on both sides (Ansible's "included:" lines, quorum's include steps)
    if (e.type !== 'step' || /^include_(tasks|role)$/.test(e.module)) continue;
    const s = e.status === 'would_change' ? 'changed' : (e.status as Status);
    const last = runs.at(-1);
    if (last?.name === e.task) last.statuses.push(s);
    else runs.push({ name: e.task, statuses: [s] });
  }
  return keyed(
    runs.map(({ name, statuses: s }) => ({
      name,
      status: s.includes('failed')
        ? 'failed'
        : s.includes('changed')
          ? 'changed'
          : s.includes('ok')
            ? 'ok'
            : 'skipped',
    })),
  );
}

/** `role : task #n` keyed by the task's name alone (both engines show a role's tasks and handlers under their role). */
function keyed(rows: Array<{ name: string; status: Status; message?: string }>): TaskResult[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const name = r.name.replace(/^[\w.-]+ : /, '');
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return { key: `${name} #${n}`, status: r.status, message: r.message };
  });
}

export async function quorumRun(playbook: string, host: string, check: boolean) {
  const r = await playJsonAsync(playbook, [
    '--limit',
    host,
    '--roles-path',
    CORPUS_ROLES,
    ...(check ? ['--check'] : []),
  ]);
  return { code: r.code, results: quorumResults(r.events), events: r.events };
}

export interface Comparison {
  compared: number;
  same: number;
  differ: Array<{ key: string; ansible: Status; quorum: Status | 'absent' }>;
  /** quorum's tasks Ansible did not report (files a templated include can name but did not): must be skipped. */
  extraNotSkipped: string[];
}

export function compare(ansible: TaskResult[], quorum: TaskResult[]): Comparison {
  const q = new Map(quorum.map((r) => [r.key, r]));
  const differ: Comparison['differ'] = [];
  for (const a of ansible) {
    const mine = q.get(a.key);
    if (!mine || mine.status !== a.status)
      differ.push({ key: a.key, ansible: a.status, quorum: mine?.status ?? 'absent' });
  }
  const known = new Set(ansible.map((a) => a.key));
  const extraNotSkipped = quorum.filter((r) => !known.has(r.key) && r.status !== 'skipped').map((r) => r.key);
  return { compared: ansible.length, same: ansible.length - differ.length, differ, extraNotSkipped };
}

/** Paths a run wrote (or changed) on a host since `before`, with what they hold. */
export function written(host: string, before: Record<string, string>): Record<string, string> {
  const after = upperSnapshot(host);
  const out: Record<string, string> = {};
  for (const [path, v] of Object.entries(after)) if (before[path] !== v && !NOISE.test(path)) out[path] = v;
  return out;
}

/** What differs between any two hosts for reasons of their own: logs, caches, run files, Ansible's temp files. */
const NOISE =
  /^\/(tmp|root\/\.ansible|var\/log|var\/cache|var\/lib\/apt\/lists|run|var\/run|var\/lib\/dpkg\/(lock|triggers)|var\/lib\/systemd|etc\/ld\.so\.cache|var\/lib\/redis|var\/lib\/fail2ban|var\/lib\/ucf|var\/lib\/apt\/periodic|root\/\.cache)(\/|$)/;

/** The lab made again, `hosts` fresh: what their upper layers hold before a run. */
export async function freshLabHosts(hosts: string[]): Promise<Record<string, Record<string, string>>> {
  quorum(['lab', 'down']);
  await ensureLab();
  return Object.fromEntries(hosts.map((h) => [h, upperSnapshot(h)]));
}

/** ansible-playbook on `hosts[0]` and quorum on `hosts[1]`, the same playbook at once. */
export const bothRuns = (playbook: string, [ansible, quorum]: [string, string], check: boolean) =>
  Promise.all([ansibleResults(playbook, ansible, check), quorumRun(playbook, quorum, check)]);

/** bothRuns, compared task by task and reported as `label, what`. */
export async function comparedRuns(
  label: string,
  playbook: string,
  hosts: [string, string],
  check: boolean,
  what: string,
) {
  const [a, q] = await bothRuns(playbook, hosts, check);
  const c = compare(a, q.results);
  reportComparison(`${label}, ${what}`, c);
  return { q, c };
}

/**
 * The paths the two runs wrote with other contents (each host against what `fresh` held), less
 * those `alike` excuses; logged with how many there were.
 */
export function writtenDifferences(
  label: string,
  fresh: Record<string, Record<string, string>>,
  [ansible, quorum]: [string, string],
  alike: (path: string) => boolean = () => false,
): { paths: number; differ: string[] } {
  const [ansibleFiles, quorumFiles] = [written(ansible, fresh[ansible]), written(quorum, fresh[quorum])];
  const paths = [...new Set([...Object.keys(ansibleFiles), ...Object.keys(quorumFiles)])].sort();
  const differ = paths.filter((p) => ansibleFiles[p] !== quorumFiles[p] && !alike(p));
  console.log(
    `${label}, files: ${paths.length - differ.length}/${paths.length} identical; differ: ${JSON.stringify(differ)}`,
  );
  return { paths: paths.length, differ };
}

/** A set of public roles held to ansible-playbook on two fresh lab hosts of its own (Ansible's, quorum's). */
export interface PublicRolesSet {
  name: string;
  hosts: [string, string];
  /** Each phase after the one before, on the hosts as `freshLabHosts` found them. */
  check(fresh: Record<string, Record<string, string>>): Promise<void>;
  apply(fresh: Record<string, Record<string, string>>): Promise<void>;
  second(): Promise<void>;
}

export const reportComparison = (what: string, c: Comparison) =>
  console.log(
    `${what}: ${c.same}/${c.compared} tasks identical${c.differ.length ? `; differ: ${JSON.stringify(c.differ)}` : ''}`,
  );
