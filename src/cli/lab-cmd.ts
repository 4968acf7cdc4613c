/** `quorum lab up | down | status | ssh HOST`. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { labDown, labStatus, labUp, readState, stateDir } from '../lab/lab.ts';

const log = (m: string) => process.stdout.write(`${m}\n`);

export function registerLabCommands(program: Command) {
  const lab = program
    .command('lab')
    .description('local test hosts: network namespaces with a real sshd (root, Linux)');
  lab
    .command('up')
    .description('start the lab (idempotent); default cp1-cp3 + w1-w2')
    .option('--hosts <n>', 'number of hosts', '5')
    .action(async (o: { hosts: string }) => {
      await labUp(Number(o.hosts), log);
    });
  lab
    .command('down')
    .description('remove every namespace, link, layer and process the lab started')
    .action(async () => labDown(log));
  lab
    .command('status')
    .description('the lab hosts and whether their sshd answers')
    .action(async () => {
      const hosts = await labStatus();
      if (hosts.length === 0) log('lab is down');
      for (const h of hosts)
        log(
          `${h.name.padEnd(6)} ${h.address.padEnd(15)} ${h.running ? 'running' : 'stopped'}  ssh ${h.ssh ? 'up' : 'down'}`,
        );
    });
  lab
    .command('ssh')
    .description('open a shell on a lab host')
    .argument('<host>')
    .argument('[command...]', 'run this instead of a shell')
    .action((name: string, command: string[]) => {
      const host = readState()?.hosts.find((h) => h.name === name);
      if (!host)
        throw new InputError('LAB', `no lab host named ${name}`, undefined, 'see `quorum lab status`');
      const dir = stateDir();
      const r = spawnSync(
        'ssh',
        [
          '-i',
          join(dir, 'id_ed25519'),
          '-o',
          `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
          '-o',
          'StrictHostKeyChecking=yes',
          `root@${host.address}`,
          ...command,
        ],
        { stdio: 'inherit' },
      );
      process.exitCode = r.status ?? 1;
    });
}
