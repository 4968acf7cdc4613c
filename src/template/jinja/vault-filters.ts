/**
 * ansible-core 2.19's `vault` and `unvault` filters (plugins/filter/encryption.py): a text
 * encrypted with the secret given (salt and vault_id as there), and opened again. What unvault
 * opens is a secret: it joins the vault plaintexts quorum keeps out of its output.
 */
import { addVaultPlaintexts } from '../../vault/secrets.ts';
import { decryptVault, encryptVault, VAULT_HEADER } from '../../vault/vault.ts';
import { kwargs } from './filter-args.ts';
import { FilterError } from './filter-error.ts';
import { pyTypeName } from './values.ts';

const typeOf = (v: unknown) => `<class '${pyTypeName(v)}'>`;

/** The vault_id, and the undocumented `vaultid` it stands for when vault_id is left as it is. */
function vaultIdOf(vaultId: unknown, vaultid: unknown): string {
  const id = vaultId ?? 'filter_default';
  return id === 'filter_default' && vaultid !== undefined && vaultid !== null ? String(vaultid) : String(id);
}

/** vault.py's is_encrypted: ASCII text beginning with the header. */
const isEncrypted = (v: string) => /^[\x00-\x7f]*$/.test(v) && v.startsWith(VAULT_HEADER);

function vault(data: unknown, ...args: unknown[]): string {
  const kw = kwargs(args, ['secret', 'salt', 'vault_id', 'wrap_object', 'vaultid']);
  const [
    secret = kw.secret,
    salt = kw.salt,
    vaultId = kw.vault_id,
    wrap = kw.wrap_object,
    vaultid = kw.vaultid,
  ] = args;
  if (typeof secret !== 'string')
    throw new FilterError(`Secret passed is required to be a string, instead we got ${typeOf(secret)}.`);
  if (typeof data !== 'string')
    throw new FilterError(`Can only vault strings, instead we got ${typeOf(data)}.`);
  // 2.19 tags the text as a vaulted value (to_yaml writes it as !vault): not carried, so refused
  if (wrap === true)
    throw new FilterError('vault: wrap_object=true is not supported (quorum keeps no vaulted values)');
  const saltBytes = salt === undefined || salt === null ? undefined : Buffer.from(String(salt), 'utf8');
  if (isEncrypted(data)) throw new FilterError('Unable to encrypt: input is already encrypted');
  if (saltBytes?.length === 0)
    throw new FilterError('Unable to encrypt: Empty or invalid salt passed to encrypt()');
  return encryptVault(
    Buffer.from(data, 'utf8'),
    Buffer.from(secret, 'utf8'),
    vaultIdOf(vaultId, vaultid),
    saltBytes,
  );
}

function unvault(text: unknown, ...args: unknown[]): string {
  const kw = kwargs(args, ['secret', 'vault_id', 'vaultid']);
  const [secret = kw.secret, vaultId = kw.vault_id, vaultid = kw.vaultid] = args;
  if (typeof secret !== 'string')
    throw new FilterError(`Secret passed is required to be as string, instead we got ${typeOf(secret)}.`);
  if (typeof text !== 'string')
    throw new FilterError(`Vault should be in the form of a string, instead we got ${typeOf(text)}.`);
  if (!isEncrypted(text)) return text;
  let plain: string;
  try {
    const id = vaultIdOf(vaultId, vaultid);
    plain = decryptVault(text, [{ id, password: Buffer.from(secret, 'utf8') }]).toString('utf8');
  } catch (e) {
    // VaultLib.decrypt's words, without the vault id quorum's own message adds
    const why = (e as Error).message.replace(/ \(vault id [^)]*\)\.$/, '.');
    throw new FilterError(`Unable to decrypt: ${why}`);
  }
  addVaultPlaintexts([plain]);
  return plain;
}

export const VAULT_FILTERS: Record<string, (v: unknown, ...args: unknown[]) => unknown> = { vault, unvault };
