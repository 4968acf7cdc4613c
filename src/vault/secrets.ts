/**
 * The vault passwords of this quorum process and what they decrypted. The CLI sets them before
 * anything is read (`--vault-password-file`, `--vault-id [label@]source`, `--ask-vault-pass`,
 * ANSIBLE_VAULT_PASSWORD_FILE, as ansible-playbook takes them); the YAML reader opens a `!vault`
 * value or an encrypted file when it reads it (where Ansible decrypts a value when it is used),
 * and every text it decrypted is a secret of the run: never printed, logged or diffed.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { userSetting } from '../config/ansible-config.ts';
import { InputError, type SourceLocation } from '../errors.ts';
import { deriveSecret } from '../template/secret-taint.ts';
import { decryptVault, VaultError, type VaultSecret } from './vault.ts';

let secrets: VaultSecret[] = [];
const opened = new Set<string>();

export function useVaultSecrets(given: VaultSecret[]): void {
  secrets = given;
}

/** Every text a vault gave in this process: the run's secrets. */
export function vaultPlaintexts(): ReadonlySet<string> {
  return opened;
}

/** Texts of a decrypted file's values (a vault file holds secrets) made secrets too. */
export function addVaultPlaintexts(texts: Iterable<string>): void {
  for (const t of texts)
    if (t !== '') {
      opened.add(t);
      // a file read while a run goes on (include_vars): a secret of that run at once
      deriveSecret(t);
    }
}

/** A vault text's plaintext, or the input error saying why not, at its place. */
export function openVault(text: string, where: SourceLocation): string {
  return openVaultBytes(text, where).toString('utf8');
}

/** The same as bytes (a file copied from the controller may be binary); text is a secret of the run. */
export function openVaultBytes(text: string, where: SourceLocation): Buffer {
  if (secrets.length === 0)
    throw new InputError(
      'VAULT',
      'a vault-encrypted value, and no vault password was given',
      where,
      'pass --vault-password-file FILE, --vault-id [LABEL@]FILE or --ask-vault-pass, or set ANSIBLE_VAULT_PASSWORD_FILE (quorum decrypts a value when it reads the file, where Ansible waits until it is used)',
    );
  try {
    const plain = decryptVault(text, secrets);
    addVaultPlaintexts([plain.toString('utf8')]);
    return plain;
  } catch (e) {
    if (e instanceof VaultError) throw new InputError('VAULT', e.message, where);
    throw e;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A password from a file, or from its output when it is executable (a `-client` script is told the vault id). */
function passwordFrom(id: string, file: string): Buffer {
  let password: Buffer;
  try {
    if (isExecutable(file)) {
      const args = /-client(\.[^.]*)?$/.test(basename(file)) ? ['--vault-id', id] : [];
      password = Buffer.from(
        execFileSync(file, args, { stdio: ['inherit', 'pipe', 'inherit'], timeout: 60_000 })
          .toString('latin1')
          .replace(/^[\r\n]+|[\r\n]+$/g, ''),
        'latin1',
      );
    } else password = Buffer.from(readFileSync(file).toString('latin1').trim(), 'latin1');
  } catch (e) {
    throw new InputError(
      'USAGE',
      `could not read the vault password from ${file}: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (password.length === 0)
    throw new InputError('USAGE', `Invalid vault password was provided from file (${file})`);
  return password;
}

export interface VaultOptions {
  vaultPasswordFile?: string[];
  vaultId?: string[];
  askVaultPass?: boolean;
}

/**
 * The secrets the options name, as ansible-core 2.19's CLI orders them: the config's
 * vault_identity_list before --vault-id, then --vault-password-file and the config's
 * vault_password_file (ANSIBLE_VAULT_PASSWORD_FILE); `prompt` asks for one.
 */
export async function vaultSecretsFrom(
  o: VaultOptions,
  prompt: (q: string) => Promise<string>,
): Promise<VaultSecret[]> {
  const out: VaultSecret[] = [];
  const ask = async (id: string) => {
    const password = await prompt(id === 'default' ? 'Vault password: ' : `Vault password (${id}): `);
    if (password === '') throw new InputError('USAGE', 'Invalid vault password was provided from prompt');
    out.push({ id, password: Buffer.from(password, 'utf8') });
  };
  for (const spec of [
    ...(userSetting<string[]>('DEFAULT_VAULT_IDENTITY_LIST') ?? []),
    ...(o.vaultId ?? []),
  ]) {
    const at = spec.indexOf('@');
    const [id, source] = at < 0 ? ['default', spec] : [spec.slice(0, at), spec.slice(at + 1)];
    if (source === 'prompt') await ask(id);
    else out.push({ id, password: passwordFrom(id, source) });
  }
  for (const file of o.vaultPasswordFile ?? [])
    out.push({ id: 'default', password: passwordFrom('default', file) });
  const configured = userSetting<string>('DEFAULT_VAULT_PASSWORD_FILE');
  if (configured) out.push({ id: 'default', password: passwordFrom('default', configured) });
  if (o.askVaultPass || userSetting<boolean>('DEFAULT_ASK_VAULT_PASS')) await ask('default');
  return out;
}
