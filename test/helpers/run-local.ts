/**
 * Runs a playbook in-process against hosts that all use the local transport (each host
 * writes under its own folder), recording every exec per host and collecting the events.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runPlaybook } from '../../src/execute/run.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import { RecordingTransport } from '../../src/transport/recording.ts';
import type { ExecOptions, ExecResult, Transport } from '../../src/transport/types.ts';
import { quorum } from './cli.ts';

export const FIXTURE_ROLES = join(import.meta.dirname, '../fixtures/roles');

export interface LocalRun {
  code: number;
  events: RunEvent[];
  transports: Map<string, RecordingTransport>;
  maxConcurrentActions: number;
}

export function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'quorum-run-'));
}

export function writeFiles(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

export async function runLocal(
  dir: string,
  options: {
    check?: boolean;
    forks?: number;
    limit?: string;
    tags?: string[];
    extraVars?: Record<string, unknown>;
    playbook?: string;
  } = {},
): Promise<LocalRun> {
  const events: RunEvent[] = [];
  const transports = new Map<string, RecordingTransport>();
  let inFlight = 0;
  let maxConcurrentActions = 0;
  const code = await runPlaybook({
    playbook: join(dir, options.playbook ?? 'play.yml'),
    runLock: false, // this machine, shared with the other tests
    durableHandlers: false,
    inventory: [join(dir, 'hosts.ini')],
    rolesPath: [FIXTURE_ROLES],
    check: options.check,
    forks: options.forks,
    limit: options.limit,
    tags: options.tags,
    extraVars: options.extraVars,
    reporters: [(e) => events.push(JSON.parse(JSON.stringify(e)))],
    transportFactory: (host) => {
      const local = new LocalTransport(host);
      const counting: Transport = {
        host,
        async exec(command: string, opts: ExecOptions): Promise<ExecResult> {
          if (opts.purpose === 'action') {
            inFlight++;
            maxConcurrentActions = Math.max(maxConcurrentActions, inFlight);
          }
          try {
            return await local.exec(command, opts);
          } finally {
            if (opts.purpose === 'action') inFlight--;
          }
        },
        close: () => local.close(),
      };
      const t = new RecordingTransport(host, counting);
      transports.set(host, t);
      return t;
    },
  });
  return { code, events, transports, maxConcurrentActions };
}

export type StepEvent = Extract<RunEvent, { type: 'step' }>;
export const steps = (r: LocalRun) => r.events.filter((e): e is StepEvent => e.type === 'step');
export const nodeEnds = (r: LocalRun) =>
  r.events.filter((e): e is Extract<RunEvent, { type: 'node_end' }> => e.type === 'node_end');
export const changedSteps = (r: LocalRun) =>
  steps(r)
    .filter((s) => s.status === 'changed' || s.status === 'would_change')
    .map((s) => `${s.host} ${s.task}${s.item === undefined ? '' : ` [${JSON.stringify(s.item)}]`}`)
    .sort();

/** `play DIR/play.yml -i DIR/hosts.ini --roles-path <fixture roles> ARGS`: the CLI's arguments for a workspace's play. */
export const playArgs = (dir: string, ...args: string[]) => [
  'play',
  join(dir, 'play.yml'),
  '-i',
  join(dir, 'hosts.ini'),
  '--roles-path',
  FIXTURE_ROLES,
  ...args,
];

/** The workspace's play through the real CLI. */
export const playCli = (dir: string, ...args: string[]) => quorum(playArgs(dir, ...args));

/** `quorum validate` of a playbook's text, in a new workspace with local hosts. */
export function validateCli(
  play: string,
  hosts = 'h1 ansible_connection=local\n',
  files: Record<string, string> = {},
) {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': hosts, 'play.yml': play, ...files });
  return quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
}
