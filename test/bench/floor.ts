/**
 * The floor: per host one already-open SSH connection (ssh2 via node-ssh) running, one after
 * another, as many trivial commands as quorum sends probes; all hosts in parallel. This is
 * the least any engine must pay for that many round trips.
 */
import { readFileSync } from 'node:fs';
import { NodeSSH } from 'node-ssh';
import type { Sample } from './measure.ts';

export interface FloorHost {
  address: string;
  key: string;
}

export async function floorRun(hosts: FloorHost[], commandsPerHost: number): Promise<Sample> {
  const conns = await Promise.all(
    hosts.map(async (h) => {
      const ssh = new NodeSSH();
      await ssh.connect({ host: h.address, username: 'root', privateKey: readFileSync(h.key, 'utf8') });
      return ssh;
    }),
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    conns.map(async (ssh) => {
      for (let i = 0; i < commandsPerHost; i++) await ssh.execCommand('true');
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const c of conns) c.dispose();
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20, code: 0 };
}
