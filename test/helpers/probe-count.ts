/** Runs a playbook on local hosts, counting the probe commands and the paths of each path batch. */
import { join } from 'node:path';
import { runPlaybook } from '../../src/execute/run.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { LocalTransport } from '../../src/transport/local.ts';
import type { ExecOptions, ExecResult } from '../../src/transport/types.ts';

/**
 * Runs play.yml on one local host; counts probe commands, and the paths their batches asked
 * about (the first line of a path batch's reply has a letter per path).
 */
export async function runCountingProbes(dir: string, check = false, durable?: { asRoot: boolean }) {
  const events: RunEvent[] = [];
  const probes: string[] = [];
  const batchSizes: number[] = [];
  const code = await runPlaybook({
    playbook: join(dir, 'play.yml'),
    runLock: false, // this machine, shared with the other tests
    durableHandlers: durable !== undefined,
    inventory: [join(dir, 'hosts.ini')],
    check,
    reporters: [(e) => events.push(e)],
    transportFactory: (host) => {
      const local = new LocalTransport(host);
      return {
        host,
        asRoot: durable?.asRoot ?? local.asRoot,
        close: () => local.close(),
        async exec(command: string, o: ExecOptions): Promise<ExecResult> {
          if (o.purpose !== 'probe') return local.exec(command, o);
          probes.push(command);
          const r = await local.exec(command, o);
          const codes = r.stdout.split('\n')[0];
          if (/^[ALDE]+$/.test(codes)) batchSizes.push(codes.length);
          return r;
        },
      };
    },
  });
  const steps = events.flatMap((e) => (e.type === 'step' ? [e] : []));
  const pathsAsked = batchSizes.reduce((a, b) => a + b, 0);
  return { code, events, steps, probes, batchSizes, pathsAsked };
}
