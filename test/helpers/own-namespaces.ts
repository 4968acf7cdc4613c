/**
 * A command in namespaces the test makes for it (`unshare`): a firewall's tests run ansible-playbook
 * and quorum each in network and mount namespaces of their own, so neither side nor this machine
 * sees the other's firewall. Bounded (5 minutes), its stdout and stderr together.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunEvent } from '../../src/report/events.ts';
import type { StepEvent } from './run-local.ts';

export const ANSIBLE_CURRENT = join(import.meta.dirname, 'ansible-current.sh');

export function inNamespaces(
  unshareArgs: string[],
  argv: string[],
  cwd: string,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('unshare', [...unshareArgs, ...argv], {
      cwd,
      env: { ...process.env, QUORUM_RUN_LOCK: 'off', ANSIBLE_CURRENT_COLLECTIONS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const take = (d: Buffer) => {
      stdout += d;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill(), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout });
    });
  });
}

/** The step events of `quorum play --json` output (other lines left out). */
export function jsonSteps(out: string): StepEvent[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent)
    .filter((e): e is StepEvent => e.type === 'step');
}
