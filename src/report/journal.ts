/**
 * The run journal: every `quorum play` that may change hosts (not --check) appends its event
 * stream to one JSON-lines file on the controller, headed by what was asked (playbook,
 * inventory, limit, tags, the names of -e variables: their values may be secrets). Events
 * reach reporters with secrets already redacted. `quorum runs` reads it back.
 * Folder: --journal DIR, else $XDG_STATE_HOME/quorum/runs (~/.local/state/quorum/runs); the
 * newest KEEP runs are kept.
 */

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import type { HostRecap, Reporter, RunEvent } from './events.ts';
import { eventLine } from './json.ts';
import { isRoutine, LineFile } from './line-file.ts';

export const KEEP = 200;

export interface JournalHeader {
  type: 'journal';
  id: string;
  time: string;
  playbook: string;
  inventory: string[];
  limit?: string;
  tags: string[];
  extraVarNames: string[];
}

export function defaultJournalDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'quorum', 'runs');
}

/**
 * A sortable id: the start time to the millisecond (two runs in one second sort in the order
 * they started), then 4 random hex digits.
 */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '')}-${randomBytes(2).toString('hex')}`;
}

/** Writes the journal of one run; the file is made at the run's start (input errors make none). */
export function journalReporter(dir: string, asked: Omit<JournalHeader, 'type' | 'id' | 'time'>): Reporter {
  let file: LineFile | undefined;
  return (event: RunEvent) => {
    if (file === undefined) {
      if (event.type !== 'run_start') return;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const now = new Date();
      const header: JournalHeader = { type: 'journal', id: event.runId, time: now.toISOString(), ...asked };
      file = new LineFile(join(dir, `${header.id}.jsonl`), 'a', 0o600);
      file.write(`${JSON.stringify(header)}\n`, true);
      rotate(dir);
    }
    // what was done to a host is written before the run goes on: an interrupted run keeps it
    file.write(eventLine(event), !isRoutine(event));
    if (event.type === 'run_end') {
      file.close();
      file = undefined;
    }
  };
}

function rotate(dir: string) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  for (const f of files.slice(0, Math.max(0, files.length - KEEP))) rmSync(join(dir, f), { force: true });
}

export interface RunSummary {
  id: string;
  time: string;
  playbook: string;
  /** The run's exit code; undefined: it did not finish (interrupted, or still running). */
  exitCode?: number;
  hosts: Record<string, HostRecap>;
  elapsedMs?: number;
}

/** The end of a file, enough for its recap and run_end. */
function tail(path: string, bytes = 256 * 1024): string {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function firstLines(path: string, count: number): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n').slice(0, count);
  } finally {
    closeSync(fd);
  }
}

const firstLine = (path: string) => firstLines(path, 1)[0];

/**
 * The hosts of the runs journaled after run `id` (their run_start, the line after the header):
 * what quorum on this controller may have changed since.
 */
export function hostsRunAfter(dir: string, id: string): Set<string> {
  const out = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && f > id)
    .sort()) {
    if (f.startsWith(id)) continue;
    const [, start] = firstLines(join(dir, f), 2);
    try {
      for (const h of (JSON.parse(start ?? '{}') as { hosts?: string[] }).hosts ?? []) out.add(h);
    } catch {
      // a run that stopped before its start line changed nothing
    }
  }
  return out;
}

export function parseLines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').flatMap((l) => {
    try {
      return l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : [];
    } catch {
      return []; // the first line of a tail may be cut
    }
  });
}

export function summarize(path: string): RunSummary | undefined {
  let header: JournalHeader;
  try {
    header = JSON.parse(firstLine(path)) as JournalHeader;
  } catch {
    return undefined;
  }
  if (header.type !== 'journal') return undefined;
  const events = parseLines(tail(path));
  const recap = events.findLast((e) => e.type === 'recap') as
    | Extract<RunEvent, { type: 'recap' }>
    | undefined;
  const end = events.findLast((e) => e.type === 'run_end') as
    | Extract<RunEvent, { type: 'run_end' }>
    | undefined;
  return {
    id: header.id,
    time: header.time,
    playbook: header.playbook,
    exitCode: end?.exitCode,
    hosts: recap?.hosts ?? {},
    elapsedMs: recap?.elapsedMs,
  };
}

/** The newest runs first. */
export function listRuns(dir: string, count: number): RunSummary[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .reverse()
    .slice(0, count)
    .flatMap((f) => summarize(join(dir, f)) ?? []);
}

/** readRun, or the error a command gives for an id that names no single run. */
export function journaledRun(dir: string, id: string): { header: JournalHeader; events: RunEvent[] } {
  const run = readRun(dir, id);
  if (!run)
    throw new InputError('USAGE', `no single run with id ${id} in ${dir}`, undefined, 'see `quorum runs`');
  return run;
}

/** Every event of one run (an id or a unique start of one). */
export function readRun(dir: string, id: string): { header: JournalHeader; events: RunEvent[] } | undefined {
  if (!existsSync(dir)) return undefined;
  const matches = readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f.startsWith(id));
  if (matches.length !== 1) return undefined;
  const [header, ...events] = parseLines(readFileSync(join(dir, matches[0]), 'utf8'));
  return { header: header as unknown as JournalHeader, events: events as unknown as RunEvent[] };
}
