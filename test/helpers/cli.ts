/** Runs the real `quorum` binary, as a user would. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const QUORUM_BIN = join(import.meta.dirname, '../../bin/quorum.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function quorum(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [QUORUM_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
