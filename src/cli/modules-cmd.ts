/** `quorum modules [NAME]`: the modules inline tasks can use, with their names and parameters. */
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { allModuleKeys, findModule, moduleNames } from '../modules/registry.ts';
import { didYouMean } from '../playbook/errors.ts';
import { paramsTable } from './roles-cmd.ts';

export function registerModuleCommands(program: Command) {
  program
    .command('modules [name]')
    .description('list the modules (with the Ansible names they answer to), or show one with its parameters')
    .action((name?: string) => {
      if (!name) {
        for (const n of moduleNames().sort()) {
          const m = findModule(n)!;
          if (m.internal) continue;
          const other = allModuleKeys().filter(
            (k) => findModule(k) === m && k !== n && !k.startsWith('ansible.builtin.'),
          );
          console.log(other.length ? `${n} (also ${other.join(', ')})` : n);
        }
        return;
      }
      const m = findModule(name);
      if (!m) {
        const guess = didYouMean(name, allModuleKeys());
        throw new InputError(
          'MODULE_UNKNOWN',
          `no module "${name}"`,
          undefined,
          guess ? `did you mean "${guess}"?` : 'run `quorum modules` for the list',
        );
      }
      console.log(`${m.name}${m.freeForm ? ` (free form: ${m.freeForm})` : ''}\n`);
      console.log(paramsTable(m.schema as Parameters<typeof paramsTable>[0]));
      if (m.paramAliases)
        console.log(
          `\naliases: ${Object.entries(m.paramAliases)
            .map(([a, p]) => `${a} -> ${p}`)
            .join(', ')}`,
        );
    });
}
