/** `quorum keeper status | stop` (and `serve`, which runs use to start it). */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { isOurs } from '../processes.ts';
import { keeperDir, keeperPidFile } from '../transport/keeper-protocol.ts';

const log = (m: string): void => {
  process.stdout.write(`${m}\n`);
};

/** What only a keeper's command line holds (`quorum keeper serve`). */
const KEEPER = 'keeper\0serve';

/** The keeper's PID from its pid file, if that process is still a keeper. */
function keeperPid(): number | undefined {
  const file = keeperPidFile(keeperDir());
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return isOurs(pid, KEEPER) ? pid : undefined;
}

export function registerKeeperCommands(program: Command) {
  const keeper = program
    .command('keeper')
    .description('the connection keeper that `play --persist` uses (like ssh ControlPersist)');
  keeper
    .command('serve', { hidden: true })
    .option('--persist <seconds>', 'end after this long without a run', '60')
    .action(async (o: { persist: string }) => {
      const { serveKeeper } = await import('../transport/keeper.ts');
      await serveKeeper(keeperDir(), Number(o.persist) * 1000);
      // keep running: the server and its connections hold the event loop
      await new Promise(() => {});
    });
  keeper
    .command('status')
    .description('whether the keeper runs, and which hosts it holds connections to')
    .action(async () => {
      const { keeperClient } = await import('../transport/kept.ts');
      const client = await keeperClient(0, false);
      if (!client) return log('keeper: not running');
      const reply = await client.request({ op: 'status' });
      client.close();
      if (!('status' in reply)) throw new InputError('KEEPER', 'unexpected reply from the keeper');
      log(`keeper: running, pid ${reply.status.pid}`);
      for (const h of reply.status.connections) log(`  ${h}`);
    });
  keeper
    .command('stop')
    .description('end the keeper and close every connection it holds')
    .action(async () => {
      const pid = keeperPid();
      if (pid === undefined) return log('keeper: not running');
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 100 && isOurs(pid, KEEPER); i++) await new Promise((r) => setTimeout(r, 50));
      log(isOurs(pid, KEEPER) ? `keeper: pid ${pid} did not end within 5 s` : `keeper: stopped (pid ${pid})`);
    });
}
