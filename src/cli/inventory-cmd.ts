/** `quorum inventory` and `quorum hosts`: the ansible-inventory and `ansible --list-hosts` look-alikes. */
import type { Command } from 'commander';
import { checkAnsibleConfig } from '../config/check-config.ts';
import { ansibleDefaults } from '../config/cli-defaults.ts';
import { InputError } from '../errors.ts';
import { type LoadedInventory, loadInventory } from '../inventory/load.ts';
import { PatternMatcher } from '../inventory/patterns.ts';
import { inventoryGraph, inventoryHost, inventoryList } from '../inventory/render.ts';
import type { VaultOptions } from '../vault/secrets.ts';
import { collect } from './options.ts';
import { applyVaultOptions, maskVaulted, withVaultOptions } from './vault-options.ts';

function warnToStderr(message: string) {
  process.stderr.write(`[WARNING]: ${message}\n`);
}

/** The inventories given, else ansible.cfg's (or ANSIBLE_INVENTORY), as ansible-inventory takes them. */
export function load(given: string[] | undefined): LoadedInventory {
  checkAnsibleConfig();
  const sources = given?.length ? given : ansibleDefaults().inventory;
  if (!sources?.length) {
    throw new InputError(
      'USAGE',
      'no inventory given',
      undefined,
      'pass one or more -i SRC (file, folder, or "h1,h2,")',
    );
  }
  return loadInventory(sources, warnToStderr);
}

type InventoryFlags = VaultOptions & {
  inventory?: string[];
  list?: boolean;
  graph?: string | boolean;
  host?: string;
};

export function registerInventoryCommands(program: Command) {
  withVaultOptions(
    program
      .command('inventory')
      .description('show the inventory as Ansible would (same output as ansible-inventory)'),
  )
    .option('-i, --inventory <src>', 'inventory file, folder or host list (repeatable)', collect)
    .option('--list', 'all groups, hosts and host variables as JSON')
    .option('--graph [group]', 'the group tree, from GROUP (default: all)')
    .option('--host <host>', 'the variables of one host as JSON')
    .action(async (opts: InventoryFlags) => {
      await applyVaultOptions(opts);
      const modes = [opts.list, opts.graph, opts.host].filter((m) => m !== undefined && m !== false);
      if (modes.length !== 1) {
        throw new InputError('USAGE', 'choose exactly one of --list, --graph or --host');
      }
      const inv = load(opts.inventory);
      const warn = (m: string) => warnToStderr(m);
      let out: string;
      // vault values masked: ansible-inventory prints them encrypted, never in clear
      if (opts.list) out = JSON.stringify(maskVaulted(inventoryList(inv, warn)), null, 4);
      else if (opts.host !== undefined)
        out = JSON.stringify(maskVaulted(inventoryHost(inv, opts.host, warn)), null, 4);
      else out = inventoryGraph(inv, typeof opts.graph === 'string' ? opts.graph : 'all');
      process.stdout.write(`${out}\n`);
    });

  program
    .command('hosts')
    .description("list the hosts a pattern matches, in the order a play runs them (Ansible's semantics)")
    .argument('<pattern>', "host pattern, e.g. 'control_plane:!cp1' or 'workers[0:2]'")
    .option('-i, --inventory <src>', 'inventory file, folder or host list (repeatable)', collect)
    .option(
      '-l, --limit <pattern>',
      'further limit the hosts (keeps the order of the play); @file reads names from a file',
    )
    .action((pattern: string, opts: { inventory?: string[]; limit?: string }) => {
      const inv = load(opts.inventory);
      const matcher = new PatternMatcher(inv.data);
      let hosts = matcher.hosts(pattern);
      if (opts.limit !== undefined) {
        hosts = matcher.limit(hosts, opts.limit);
        if (hosts.length === 0 && inv.data.hosts.size > 0) {
          throw new InputError(
            'NO_HOSTS',
            'the inventory, host pattern and --limit leave no hosts to target',
          );
        }
      }
      if (hosts.length) process.stdout.write(`${hosts.map((h) => h.name).join('\n')}\n`);
    });
}
