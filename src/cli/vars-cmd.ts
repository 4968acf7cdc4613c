/**
 * `quorum vars HOST [NAME] -i INV [-e ...]`: the value a host gets for each variable and the
 * layer that won it, with the layers it won over, in Ansible's precedence: the inventory's
 * layers (group all < group_vars/all < groups by depth, priority, name < their group_vars <
 * the host < host_vars), then -e. With --playbook, a play's layers too, and with --role what a
 * role's tasks see (vars-play.ts). A name that any role's schema marks secret is shown as ********.
 */
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { hostVarsLayers, type VarsLayer } from '../inventory/vars.ts';
import { didYouMean } from '../playbook/errors.ts';
import { secretParams } from '../roles/define.ts';
import { discoverRoles, loadRole, roleSearchPath } from '../roles/registry.ts';
import type { VaultOptions } from '../vault/secrets.ts';
import { parseExtraVars } from './extra-vars.ts';
import { load } from './inventory-cmd.ts';
import { collect } from './options.ts';
import { playLayers } from './vars-play.ts';
import { applyVaultOptions, maskVaulted, withVaultOptions } from './vault-options.ts';

interface Origin {
  value: unknown;
  source: string;
  over: Array<{ source: string; value: unknown }>;
}

/** Each name's winning layer and the layers under it, highest first. */
export function originsOf(layers: VarsLayer[]): Map<string, Origin> {
  const out = new Map<string, Origin>();
  for (const layer of layers)
    for (const [name, value] of Object.entries(layer.vars)) {
      const before = out.get(name);
      out.set(name, {
        value,
        source: layer.source,
        over: before ? [{ source: before.source, value: before.value }, ...before.over] : [],
      });
    }
  return out;
}

async function secretNames(rolesPath: string[]): Promise<Set<string>> {
  const names = new Set<string>();
  const found = discoverRoles(roleSearchPath({ rolesPath }));
  for (const name of found.keys()) {
    try {
      for (const p of secretParams((await loadRole(name, found)).params as never)) names.add(p);
    } catch {
      // a role that does not load has no say here (`quorum roles list` names it)
    }
  }
  return names;
}

export function registerVarsCommand(program: Command) {
  withVaultOptions(program.command('vars'))
    .description("a host's variables, each with the layer that won it and the layers it won over")
    .argument('<host>')
    .argument('[name]', 'only this variable')
    .option('-i, --inventory <src>', 'inventory file, folder or host list (repeatable)', collect)
    .option('-e, --extra-vars <vars>', 'k=v, @file.yml or JSON (repeatable): the top layer', collect)
    .option('--roles-path <dir>', 'site roles whose secret params are masked too (repeatable)', collect)
    .option('--playbook <file>', "add a play's layers: play vars, vars_files (with --role: a role's too)")
    .option('--play <n|name>', 'which play of --playbook (default: the first that targets the host)')
    .option('--role <name>', "with --playbook: what this role's tasks see (its defaults, vars, params)")
    .option('--json', '{ name: { value, source, over: [{ source, value }] } }')
    .action(
      async (
        hostName: string,
        name: string | undefined,
        o: VaultOptions & {
          inventory?: string[];
          extraVars?: string[];
          rolesPath?: string[];
          json?: boolean;
          playbook?: string;
          play?: string;
          role?: string;
        },
      ) => {
        await applyVaultOptions(o);
        const inv = load(o.inventory);
        const host = inv.data.hosts.get(hostName);
        if (!host) {
          const guess = didYouMean(hostName, [...inv.data.hosts.keys()]);
          throw new InputError(
            'USAGE',
            `no host ${hostName} in the inventory`,
            undefined,
            guess && `did you mean "${guess}"?`,
          );
        }
        if (o.role !== undefined && o.playbook === undefined)
          throw new InputError('USAGE', '--role needs --playbook (the play that lists the role)');
        const fromPlay = o.playbook
          ? await playLayers(inv, hostName, { ...o, playbook: o.playbook })
          : undefined;
        if (fromPlay && !o.json)
          process.stdout.write(
            `# play ${fromPlay.play.index + 1} "${fromPlay.play.name}" of ${o.playbook}${o.role ? `, inside role ${o.role}` : ''}\n`,
          );
        const layers = [
          ...(fromPlay?.below ?? []),
          ...hostVarsLayers(inv, host),
          ...(fromPlay?.above ?? []),
          { source: 'extra vars (-e)', vars: parseExtraVars(o.extraVars ?? []) },
        ];
        const origins = originsOf(layers);
        if (name !== undefined && !origins.has(name)) {
          const guess = didYouMean(name, [...origins.keys()]);
          throw new InputError(
            'USAGE',
            `${hostName} has no variable ${name}`,
            undefined,
            guess && `did you mean "${guess}"?`,
          );
        }
        const secrets = await secretNames(o.rolesPath ?? []);
        // a vault's text is masked as a secret param is
        const show = (n: string, v: unknown) =>
          secrets.has(n) ? '********' : JSON.stringify(maskVaulted(v));
        const names = name !== undefined ? [name] : [...origins.keys()].sort();
        if (o.json) {
          const out = Object.fromEntries(
            names.map((n) => {
              const x = origins.get(n)!;
              const mask = (v: unknown) => (secrets.has(n) ? '********' : maskVaulted(v));
              return [
                n,
                {
                  value: mask(x.value),
                  source: x.source,
                  over: x.over.map((u) => ({ ...u, value: mask(u.value) })),
                },
              ];
            }),
          );
          process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
          return;
        }
        for (const n of names) {
          const x = origins.get(n)!;
          process.stdout.write(`${n} = ${show(n, x.value)}\n    from: ${x.source}\n`);
          for (const u of x.over) process.stdout.write(`    over: ${u.source} = ${show(n, u.value)}\n`);
        }
      },
    );
}
