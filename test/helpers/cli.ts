/** Runs the real `quorum` binary, as a user would. */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * The same, without blocking the test worker: a run of a minute or more must leave vitest's
 * worker free to answer its runner (a blocked worker fails with "Timeout calling onTaskUpdate").
 */
export function quorumAsync(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QUORUM_BIN, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill(), 900_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
