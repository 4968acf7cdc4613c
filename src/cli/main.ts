/** `quorum` command line: argv to options to the public API; exit codes; no engine logic here. */
import { Command, CommanderError } from 'commander';
import { InputError } from '../errors.ts';
import { quorumVersion } from '../paths.ts';
import { registerInitCommand } from './init-cmd.ts';
import { registerInventoryCommands } from './inventory-cmd.ts';
import { registerKeeperCommands } from './keeper-cmd.ts';
import { registerLabCommands } from './lab-cmd.ts';
import { registerModuleCommands } from './modules-cmd.ts';
import { registerPlayCommands } from './play-cmd.ts';
import { registerReportCommand } from './report-cmd.ts';
import { registerRoleCommands } from './roles-cmd.ts';
import { registerRunsCommands } from './runs-cmd.ts';
import { registerVarsCommand } from './vars-cmd.ts';

export const EXIT = { ok: 0, input: 1, failed: 2, unreachable: 4 } as const;

export function buildProgram(): Command {
  const program = new Command('quorum')
    .description('Agentless, Ansible-style playbook engine: typed roles, graph scheduling, exact check mode')
    .version(quorumVersion(), '--version')
    .showHelpAfterError()
    .exitOverride();
  registerInventoryCommands(program);
  registerReportCommand(program);
  registerPlayCommands(program);
  registerModuleCommands(program);
  registerRoleCommands(program);
  registerInitCommand(program);
  registerRunsCommands(program);
  registerVarsCommand(program);
  registerLabCommands(program);
  registerKeeperCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return process.exitCode === undefined ? EXIT.ok : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.input;
    if (e instanceof InputError) {
      process.stderr.write(`error: ${e.describe()}\n`);
      return EXIT.input;
    }
    if (process.env.QUORUM_DEBUG) throw e;
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.input;
  }
}

// `quorum ... | head`: the reader left; stop quietly, as Unix tools do, not with a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});
const code = await main(process.argv.slice(2));
process.exitCode = code;
