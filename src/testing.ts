/**
 * Helpers for role tests: run one role against this machine (local transport) through the
 * real engine, and count what its steps reported.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runPlaybook } from './execute/run.ts';
import type { RunEvent } from './report/events.ts';

export interface RoleRun {
  exitCode: number;
  changed: number;
  failed: number;
  events: RunEvent[];
}

export async function runRoleLocally(
  roleDir: string,
  params: Record<string, unknown>,
  options: { check?: boolean } = {},
): Promise<RoleRun> {
  const work = mkdtempSync(join(tmpdir(), 'quorum-role-'));
  const playbook = join(work, 'play.yml');
  writeFileSync(
    playbook,
    JSON.stringify([{ hosts: 'localhost', roles: [{ role: basename(roleDir), ...params }] }]),
  );
  const inventory = join(work, 'hosts.ini');
  writeFileSync(inventory, 'localhost ansible_connection=local\n');
  const events: RunEvent[] = [];
  const exitCode = await runPlaybook({
    playbook,
    inventory: [inventory],
    rolesPath: [dirname(roleDir)],
    check: options.check,
    // a role test's host is this machine, shared with the other tests: no run leases
    runLock: false,
    durableHandlers: false,
    reporters: [(e) => events.push(e)],
  });
  const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
  return {
    exitCode,
    changed: steps.filter((s) => s.status === 'changed' || s.status === 'would_change').length,
    failed: steps.filter((s) => s.status === 'failed').length,
    events,
  };
}
