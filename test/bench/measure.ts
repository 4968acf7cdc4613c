/** Runs one command under GNU time: wall seconds, controller CPU (user + sys), peak RSS. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sample {
  wall: number;
  cpu: number;
  rssMb: number;
  code: number;
}

export function timed(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<Sample & { stdout: string }> {
  const out = join(mkdtempSync(join(tmpdir(), 'quorum-bench-')), 'time');
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, cmd, ...args], {
      env,
      cwd,
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
    child.on('error', reject);
    child.on('close', (code) => {
      const [wall, user, sys, rss] = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .pop()!
        .split(' ')
        .map(Number);
      if (code !== 0)
        process.stderr.write(`${cmd} exited ${code}:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}\n`);
      resolve({ wall, cpu: user + sys, rssMb: rss / 1024, code: code ?? 1, stdout });
    });
  });
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function summarize(samples: Sample[]): Sample {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMb: median(samples.map((s) => s.rssMb)),
    code: Math.max(...samples.map((s) => s.code)),
  };
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * A bench measures the bundle: with src/ or roles/ newer than dist/, bin/quorum.js runs the
 * sources through tsx and every figure carries its loaders (~0.5 s a start, as happened).
 */
export function requireFreshBundle(root: string): void {
  let built = 0;
  try {
    built = statSync(join(root, 'dist/quorum.mjs')).mtimeMs;
  } catch {}
  if (built < Math.max(newest(join(root, 'src')), newest(join(root, 'roles'))))
    throw new Error(
      'dist/ is older than src/ or roles/: run `npm run build` first (a bench measures the bundle)',
    );
}
