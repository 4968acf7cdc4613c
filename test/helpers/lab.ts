/** Test helpers around the lab: skip reasons, snapshots of a host's upper layer, running plays. */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { labUp, stateDir } from '../../src/lab/lab.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { type CliResult, quorum, quorumAsync } from './cli.ts';

export const canRunLab =
  process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');

export async function ensureLab() {
  await labUp(5, () => {});
}

export function labInventory(): string {
  return join(stateDir(), 'inventory.yml');
}

/** Every path in a host's upper layer with a hash of its content (or link target). */
export function upperSnapshot(host: string): Record<string, string> {
  const root = join(stateDir(), 'hosts', host, 'upper');
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      const st = lstatSync(p);
      const rel = p.slice(root.length);
      if (st.isDirectory()) {
        out[`${rel}/`] = st.mode.toString(8);
        walk(p);
      } else if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (st.isSocket() || st.isFIFO()) out[rel] = 'socket';
      else if (st.isCharacterDevice())
        out[rel] = 'whiteout'; // overlayfs: a file deleted in the host
      else out[rel] = `${st.mode.toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(root);
  return out;
}

const withEvents = (r: CliResult) => ({
  ...r,
  events: r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l)) as RunEvent[],
});

export function playJson(playbook: string, args: string[] = [], inventory = labInventory()) {
  return withEvents(quorum(['play', playbook, '-i', inventory, '--json', ...args]));
}

/** playJson for long runs: the test worker stays responsive meanwhile. */
export async function playJsonAsync(playbook: string, args: string[] = [], inventory = labInventory()) {
  return withEvents(await quorumAsync(['play', playbook, '-i', inventory, '--json', ...args]));
}

export const changedCount = (events: RunEvent[]) =>
  events.filter((e) => e.type === 'step' && (e.status === 'changed' || e.status === 'would_change')).length;
