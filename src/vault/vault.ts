/**
 * Ansible Vault as ansible-core 2.19 reads it: `$ANSIBLE_VAULT;1.1;AES256` (or 1.2 with a vault
 * id) and hex lines of "salt hex \n HMAC hex \n ciphertext hex"; the keys are PBKDF2-HMAC-SHA256
 * (10,000 rounds) of the password and the salt, 32 bytes for AES-256-CTR, 32 for HMAC-SHA256,
 * 16 of counter; the HMAC is checked before anything is decrypted, PKCS#7 padding removed.
 * Every secret given is tried, the one whose vault id the text names first (as 2.19 does
 * without DEFAULT_VAULT_ID_MATCH).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export const VAULT_HEADER = '$ANSIBLE_VAULT';

export interface VaultSecret {
  /** The vault id (`--vault-id label@file`), 'default' without one. */
  id: string;
  password: Buffer;
}

export class VaultError extends Error {}

const isHex = (s: string) => s.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(s);

function unhex(s: string, what: string): Buffer {
  if (!isHex(s)) throw new VaultError(`Vault format unhexlify error (${what})`);
  return Buffer.from(s, 'hex');
}

export const isVaultText = (text: string) => text.trimStart().startsWith(VAULT_HEADER);

/** The envelope's parts: its vault id (1.2) and the salt, HMAC and ciphertext. */
function parse(text: string) {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0]
    .trim()
    .split(';')
    .map((p) => p.trim());
  if (header[0] !== VAULT_HEADER || header.length < 3)
    throw new VaultError('Input is not vault encrypted data.');
  if (header[2] !== 'AES256') throw new VaultError(`Cipher '${header[2]}' could not be found.`);
  const body = unhex(lines.slice(1).join('').replace(/\s+/g, ''), 'envelope').toString('latin1');
  const parts = body.split('\n');
  if (parts.length < 3) throw new VaultError('Vault vaulttext format error.');
  const [salt, hmac] = parts;
  return {
    vaultId: header.length >= 4 ? header[3] : undefined,
    salt: unhex(salt, 'salt'),
    hmac: unhex(hmac, 'hmac'),
    ciphertext: unhex(parts.slice(2).join('\n'), 'ciphertext'),
  };
}

function decryptWith(p: ReturnType<typeof parse>, password: Buffer): Buffer | undefined {
  const keys = pbkdf2Sync(password, p.salt, 10_000, 80, 'sha256');
  const mac = createHmac('sha256', keys.subarray(32, 64)).update(p.ciphertext).digest();
  if (p.hmac.length !== mac.length || !timingSafeEqual(p.hmac, mac)) return undefined;
  const decipher = createDecipheriv('aes-256-ctr', keys.subarray(0, 32), keys.subarray(64, 80));
  const padded = Buffer.concat([decipher.update(p.ciphertext), decipher.final()]);
  const pad = padded.at(-1) ?? 0;
  if (pad < 1 || pad > 16 || padded.length < pad) throw new VaultError('Vault padding is not valid');
  return padded.subarray(0, padded.length - pad);
}

/** The plaintext of a vault text, or a VaultError saying why not (no secret, none fits). */
export function decryptVault(text: string, secrets: readonly VaultSecret[]): Buffer {
  const p = parse(text);
  if (secrets.length === 0) throw new VaultError('Attempting to decrypt but no vault secrets found.');
  const ordered = [
    ...secrets.filter((s) => s.id === p.vaultId),
    ...secrets.filter((s) => s.id !== p.vaultId),
  ];
  for (const s of ordered) {
    const plain = decryptWith(p, s.password);
    if (plain) return plain;
  }
  throw new VaultError(
    `Decryption failed (no vault secrets were found that could decrypt)${p.vaultId ? ` (vault id ${p.vaultId})` : ''}.`,
  );
}

/**
 * A vault text of `plain`, as VaultLib.encrypt writes it: 1.1, or 1.2 naming a vault id other
 * than 'default'; a random 32-byte salt unless one is given; hex in lines of 80 and a last newline.
 */
export function encryptVault(plain: Buffer, password: Buffer, vaultId?: string, salt?: Buffer): string {
  const saltBytes = salt ?? randomBytes(32);
  const keys = pbkdf2Sync(password, saltBytes, 10_000, 80, 'sha256');
  const pad = 16 - (plain.length % 16);
  const cipher = createCipheriv('aes-256-ctr', keys.subarray(0, 32), keys.subarray(64, 80));
  const ciphertext = Buffer.concat([
    cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]);
  const mac = createHmac('sha256', keys.subarray(32, 64)).update(ciphertext).digest('hex');
  const body = Buffer.from(
    `${saltBytes.toString('hex')}\n${mac}\n${ciphertext.toString('hex')}`,
    'latin1',
  ).toString('hex');
  const header =
    vaultId && vaultId !== 'default' ? `${VAULT_HEADER};1.2;AES256;${vaultId}` : `${VAULT_HEADER};1.1;AES256`;
  const lines = [header];
  for (let i = 0; i < body.length; i += 80) lines.push(body.slice(i, i + 80));
  return `${lines.join('\n')}\n`;
}
