/**
 * The floor: per host one already-open SSH connection (ssh2 via node-ssh) running, one after
 * another, as many trivial commands as the playbook needs probes (one per step that reads the
 * host); all hosts in parallel. This is the least any engine must pay for asking that many
 * questions one at a time. The same with quorum's probe commands, one by one, shows what the
 * hosts' side of unbatched probes costs.
 */
import { readFileSync } from 'node:fs';
import { NodeSSH } from 'node-ssh';
import { runPlaybook } from '../../src/execute/run.ts';
import { sshTransportFor } from '../../src/transport/connect.ts';
import { RecordingTransport } from '../../src/transport/recording.ts';
import { RemoteShell, type ShellChannel } from '../../src/transport/remote-shell.ts';
import type { Sample } from './measure.ts';

export interface FloorHost {
  address: string;
  key: string;
}

async function connectAll(hosts: FloorHost[]): Promise<NodeSSH[]> {
  return Promise.all(
    hosts.map(async (h) => {
      const ssh = new NodeSSH();
      await ssh.connect({ host: h.address, username: 'root', privateKey: readFileSync(h.key, 'utf8') });
      ssh.connection?.on('error', () => {});
      return ssh;
    }),
  );
}

/** Exec channels: one SSH channel (and remote session) per command. */
export async function floorRun(hosts: FloorHost[], commandsPerHost: number): Promise<Sample> {
  const conns = await connectAll(hosts);
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

/**
 * One persistent remote shell per host: the cheapest round trip over an open connection.
 * `commands[i]` are host i's commands, run one after another (default: `true`).
 */
export async function floorShellRun(hosts: FloorHost[], commands: string[][]): Promise<Sample> {
  const conns = await connectAll(hosts);
  const shells = await Promise.all(
    conns.map(
      (ssh) =>
        new Promise<RemoteShell>((resolve, reject) =>
          ssh.connection!.exec('exec /bin/sh', (err: Error | undefined, stream: unknown) =>
            err ? reject(err) : resolve(new RemoteShell(stream as ShellChannel)),
          ),
        ),
    ),
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    shells.map(async (shell, i) => {
      for (const c of commands[i]) await shell.run(c);
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const s of shells) s.close();
  for (const c of conns) c.dispose();
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, rssMb: process.memoryUsage().rss / 2 ** 20, code: 0 };
}

export interface Floors {
  /** Probes per host the converged run needs (the most of any host). */
  probes: number;
  measures: Array<[name: string, what: string, measure: () => Promise<Sample>]>;
}

/**
 * Counts what the floors must do: as many commands per host as the converged run needs
 * probes. Counted with look-ahead off, so that every probe is its own command: batched, quorum
 * sends fewer commands than the playbook needs probes, and the floor would shrink with them.
 * The hosts must be converged.
 */
export async function planFloors(
  playbook: string,
  inventory: string,
  targets: Array<[string, Record<string, unknown>]>,
  key: string,
): Promise<Floors> {
  const counted = new Map<string, RecordingTransport>();
  process.env.QUORUM_LOOKAHEAD = '0';
  try {
    await runPlaybook({
      playbook,
      inventory: [inventory],
      reporters: [],
      transportFactory: (host, vars) => {
        const t = new RecordingTransport(host, sshTransportFor(host, vars));
        counted.set(host, t);
        return t;
      },
    });
  } finally {
    delete process.env.QUORUM_LOOKAHEAD;
  }
  const recorded = targets.map(([h]) => counted.get(h)!.calls.map((c) => c.command));
  const probes = Math.max(...recorded.map((c) => c.length));
  const hosts = targets.map(([, v]) => ({ address: String(v.ansible_host), key }));
  return {
    probes,
    measures: [
      ['floor', 'exec channels', () => floorRun(hosts, probes)],
      [
        'floor-shell',
        'one persistent shell',
        () =>
          floorShellRun(
            hosts,
            recorded.map((c) => c.map(() => 'true')),
          ),
      ],
      [
        'floor-probes',
        "quorum's probes one by one, one persistent shell",
        () => floorShellRun(hosts, recorded),
      ],
    ],
  };
}
