/**
 * Actions whose writes land on the controller, not the host: a fetched file (read from the host
 * base64-encoded, so its bytes arrive as they are, checked against the sha256 the plan read,
 * written through a temporary file), and controller files removed. Check mode never runs them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runRsync } from '../modules/synchronize.ts';
import type { Action } from '../modules/types.ts';
import { sh } from '../transport/shell.ts';
import type { ExecResult, Transport } from '../transport/types.ts';

const OK: ExecResult = { code: 0, stdout: '', stderr: '' };

export async function controllerAction(
  transport: Transport,
  action: Extract<Action, { kind: 'fetch' | 'local-remove' | 'controller-exec' }>,
  become: boolean,
): Promise<{ result: ExecResult; failure?: { command: string; result: ExecResult } }> {
  if (action.kind === 'controller-exec') {
    const result = await runRsync(action.line);
    return result.code === 0 ? { result } : { result, failure: { command: action.line, result } };
  }
  if (action.kind === 'local-remove') {
    for (const p of action.paths) rmSync(p, { force: true });
    return { result: OK };
  }
  const command = `fetch ${action.src} to ${action.dest}`;
  const read = await transport.exec(sh`base64 -w0 -- ${action.src}`, { purpose: 'action', become });
  if (read.code !== 0) return { result: read, failure: { command, result: read } };
  const bytes = Buffer.from(read.stdout.trim(), 'base64');
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (sum !== action.sha256) {
    const result = { code: 1, stdout: '', stderr: `sha256 ${sum} of what arrived is not ${action.sha256}` };
    return { result, failure: { command, result } };
  }
  mkdirSync(dirname(action.dest), { recursive: true });
  const tmp = `${action.dest}.quorum-${process.pid}`;
  writeFileSync(tmp, bytes, { mode: 0o600 });
  renameSync(tmp, action.dest);
  return { result: OK };
}
