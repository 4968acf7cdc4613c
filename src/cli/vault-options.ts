/** The vault options of every command that reads inventories or playbooks, as ansible-playbook takes them. */
import type { Command } from 'commander';
import { REDACTED } from '../errors.ts';
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

/** A value to print with every text a vault gave masked (ansible-inventory prints them encrypted). */
export function maskVaulted<T>(value: T): T {
  const opened = vaultPlaintexts();
  if (opened.size === 0) return value;
  const walk = (v: unknown): unknown =>
    typeof v === 'string'
      ? opened.has(v)
        ? REDACTED
        : v
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return walk(value) as T;
}
