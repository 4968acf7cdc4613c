/** Processes quorum started and recorded by PID (lab hosts, the apt proxy, the keeper). */
import { readFileSync } from 'node:fs';

/**
 * A recorded PID is ours only while it still runs the command we started (PIDs get reused):
 * its command line (arguments joined by NUL) holds `marker`. A process that has ended, or is
 * only a zombie left to be reaped, has no command line.
 */
export function isOurs(pid: number | undefined, marker: string): boolean {
  if (!pid) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}
