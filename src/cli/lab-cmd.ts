/** `quorum lab up | down | status | ssh HOST`. */
import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';

const log = (m: string) => process.stdout.write(`${m}\n`);
// loaded on use: the lab pulls in zx, which every other command would pay for at start-up
const lab = () => import('../lab/lab.ts');

export function registerLabCommands(program: Command) {
  const labCommand = program
    .command('lab')
    .description('local test hosts: network namespaces with a real sshd (root, Linux)');
  labCommand
    .command('up')
    .description('start the lab (idempotent); default cp1-cp3 + w1-w2')
    .option('--hosts <n>', 'number of hosts (at most 1,000; past 170 a bench lab on 198.18.0.0/15)', '5')
    .action(async (o: { hosts: string }) => {
      await (await lab()).labUp(Number(o.hosts), log);
    });
  labCommand
    .command('down')
    .description('remove every namespace, link, layer and process the lab started')
    .action(async () => (await lab()).labDown(log));
  labCommand
    .command('status')
    .description('the lab hosts and whether their sshd answers')
    .action(async () => {
      const hosts = await (await lab()).labStatus();
      if (hosts.length === 0) log('lab is down');
      for (const h of hosts)
        log(
          `${h.name.padEnd(6)} ${h.address.padEnd(15)} ${h.running ? 'running' : 'stopped'}  ssh ${h.ssh ? 'up' : 'down'}`,
        );
    });
  labCommand
    .command('ssh')
    .description('open a shell on a lab host')
    .argument('<host>')
    .argument('[command...]', 'run this instead of a shell')
    .action(async (name: string, command: string[]) => {
      const { labSshArgs } = await lab();
      const args = labSshArgs(name);
      if (!args)
        throw new InputError('LAB', `no lab host named ${name}`, undefined, 'see `quorum lab status`');
      const r = spawnSync('ssh', [...args, ...command], { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    });
}
