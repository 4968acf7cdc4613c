/** The vault options of every command that reads inventories or playbooks, as ansible-playbook takes them. */
import type { Command } from 'commander';
import { redact } from '../report/events.ts';
import { useVaultSecrets, type VaultOptions, vaultPlaintexts, vaultSecretsFrom } from '../vault/secrets.ts';
import { collect } from './options.ts';
import { promptHidden } from './prompt.ts';

export function withVaultOptions(cmd: Command): Command {
  return cmd
    .option(
      '--vault-password-file <file>',
      'a vault password file, or a script that prints it (repeatable)',
      collect,
    )
    .option(
      '--vault-id <[label@]source>',
      'a vault password: a file, a script or prompt (repeatable)',
      collect,
    )
    .option('-J, --ask-vault-pass', 'ask for the vault password');
}

/** Before anything is read: the reader opens vault values as it meets them. */
export async function applyVaultOptions(o: VaultOptions): Promise<void> {
  useVaultSecrets(
    await vaultSecretsFrom(o, (q) =>
      promptHidden(q, 'asking for the vault password needs a terminal; pass --vault-password-file instead'),
    ),
  );
}

/** A value to print with every text a vault gave masked, as a run's events are (ansible-inventory prints them encrypted). */
export function maskVaulted<T>(value: T): T {
  return redact(value, vaultPlaintexts());
}
