/**
 * A host reached over real SSH for side-by-side module tests: an sshd on loopback (root login by
 * a client key of the test's own), and one playbook folder per engine run through the quorum CLI
 * and through ansible-playbook 2.19, side by side.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ansibleCurrent, type OracleResult } from './ansible-oracle.ts';
import { type CliResult, quorumAsync } from './cli.ts';
import { jsonSteps } from './own-namespaces.ts';
import { ansibleStatuses } from './side-by-side.ts';
import { newKey, type Sshd, startSshd } from './sshd.ts';

/** Starts the sshd before the file's tests and stops it (by PID) after; `inventory()` names it as h1. */
export function loopbackHost(dir: string, name: string) {
  let sshd: Sshd | undefined;
  const key = join(dir, 'client');
  beforeAll(async () => {
    newKey(join(dir, 'host'), 'ed25519');
    newKey(key, 'ed25519');
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${key}.pub`));
    sshd = await startSshd(dir, name, [join(dir, 'host')], [], join(dir, 'authorized_keys'));
  });
  afterAll(() => sshd?.stop());
  return {
    inventory: () =>
      `h1 ansible_host=127.0.0.1 ansible_port=${sshd?.port} ansible_user=root ansible_ssh_private_key_file=${key} ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n`,
  };
}

export interface CliSides {
  mine: CliResult;
  theirs: OracleResult;
  /** quorum's step status by task name, and ansible-playbook's. */
  statuses: Record<string, string>;
  ansible: Record<string, string>;
}

/**
 * The play (made for each side's folder) through both engines against the loopback host, each
 * side in DIR/q and DIR/a; both must finish with exit code 0.
 */
export async function bothOverSsh(
  dir: string,
  inventory: string,
  play: (d: string) => string,
): Promise<CliSides & { q: string; a: string }> {
  const [q, a] = ['q', 'a'].map((name) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'play.yml'), play(d));
    writeFileSync(join(d, 'hosts.ini'), inventory);
    return d;
  });
  const r = await cliSideBySide(q, a);
  expect(r.theirs.code, r.theirs.stdout).toBe(0);
  expect(r.mine.code, r.mine.stderr).toBe(0);
  return { ...r, q, a };
}

/** DIR/play.yml with DIR/hosts.ini through both engines at once: `q` for quorum, `a` for Ansible. */
export async function cliSideBySide(q: string, a: string, extra: string[] = []): Promise<CliSides> {
  const [mine, theirs] = await Promise.all([
    quorumAsync([
      'play',
      join(q, 'play.yml'),
      '-i',
      join(q, 'hosts.ini'),
      '--json',
      '--no-journal',
      ...extra,
    ]),
    ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'play.yml', ...extra], a),
  ]);
  const statuses = Object.fromEntries(jsonSteps(mine.stdout).map((e) => [e.task, e.status]));
  return { mine, theirs, statuses, ansible: ansibleStatuses(theirs.stdout) };
}
