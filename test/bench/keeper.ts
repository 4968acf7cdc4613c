/**
 * The connection keeper's share of a `--persist` run: it is a separate, detached process, so
 * GNU time on the CLI does not see its CPU or memory. The bench adds them, read from /proc.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export interface KeeperUsage {
  cpu: number;
  peakRssMb: number;
}

/** CPU seconds so far and peak RSS of the keeper in `dir`, zero when none runs. */
export function keeperUsage(dir: string): KeeperUsage {
  const pidFile = join(dir, 'keeper.pid');
  if (!existsSync(pidFile)) return { cpu: 0, peakRssMb: 0 };
  const pid = readFileSync(pidFile, 'utf8').trim();
  try {
    // fields after the command name (which may hold spaces): utime and stime are 14 and 15
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / TICKS;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return { cpu, peakRssMb: Number(hwm ?? 0) / 1024 };
  } catch {
    return { cpu: 0, peakRssMb: 0 };
  }
}
