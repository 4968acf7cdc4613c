/**
 * The `password_hash` filter as ansible-core 2.19 computes it (ansible/utils/encrypt.py through
 * passlib): md5_crypt, sha256_crypt and sha512_crypt, the crypt(3) hashes /etc/shadow holds
 * (the SHA ones by Ulrich Drepper's specification, "Unix crypt using SHA-256 and SHA-512").
 * As in 2.19: without `rounds`, sha256 takes 535000 and sha512 656000 (written into the hash; only
 * 5000 is left out); without `salt`, a random one of 16 (md5: 8) characters; a salt or rounds
 * passlib refuses is the filter's error. bcrypt (`blowfish`) through bcryptjs, with passlib's
 * rules: a salt of exactly 22 characters (its unused last bits repaired), rounds 4 to 31 (12
 * unless given), `ident` 2a, 2b (unless given) or 2y; `ident` means nothing to the others.
 */
import { createHash, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { FilterError } from './filter-error.ts';

export const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALGORITHMS: Record<string, string> = {
  md5: 'md5_crypt',
  sha256: 'sha256_crypt',
  sha512: 'sha512_crypt',
  md5_crypt: 'md5_crypt',
  sha256_crypt: 'sha256_crypt',
  sha512_crypt: 'sha512_crypt',
};
/** passlib's salt size and default rounds per algorithm (encrypt.py's BaseHash.algorithms). */
const SETTINGS = {
  md5_crypt: { saltSize: 8, rounds: undefined },
  sha256_crypt: { saltSize: 16, rounds: 535000 },
  sha512_crypt: { saltSize: 16, rounds: 656000 },
} as const;

const digest = (algo: string, ...parts: Buffer[]) => {
  const h = createHash(algo);
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `length` bytes of `block` repeated. */
const repeated = (block: Buffer, length: number) =>
  Buffer.concat(Array.from({ length: Math.ceil(length / block.length) }, () => block)).subarray(0, length);

/** crypt's base-64 of the digest's bytes, taken three at a time in the algorithm's order. */
function encode(bytes: Buffer, order: number[][]): string {
  let out = '';
  for (const group of order) {
    // a short last group stands for the low bytes of a 24-bit word (two or three characters)
    const [b2, b1, b0] = [...Array(3 - group.length).fill(-1), ...group];
    let w = ((b2 < 0 ? 0 : bytes[b2]) << 16) | ((b1 < 0 ? 0 : bytes[b1]) << 8) | bytes[b0];
    for (let i = 0; i < group.length + 1; i++, w >>= 6) out += ITOA64[w & 0x3f];
  }
  return out;
}

/** Drepper's tables: bytes i, i+n, i+2n, rotated one way for SHA-512 and the other for SHA-256. */
function shaOrder(size: 32 | 64): number[][] {
  const n = size === 64 ? 21 : 10;
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const g = [i, i + n, i + 2 * n];
    const r = i % 3;
    groups.push([0, 1, 2].map((k) => g[size === 64 ? (k + r) % 3 : (k - r + 3) % 3]));
  }
  return size === 64 ? [...groups, [63]] : [...groups, [31, 30]];
}

export function shaCrypt(bits: 256 | 512, password: Buffer, salt: string, rounds: number): string {
  const algo = `sha${bits}`;
  const size = bits === 512 ? 64 : 32;
  const s = Buffer.from(salt, 'ascii');
  const b = digest(algo, password, s, password);
  const a: Buffer[] = [password, s, repeated(b, password.length)];
  for (let i = password.length; i > 0; i >>= 1) a.push(i & 1 ? b : password);
  let c = digest(algo, ...a);
  const p = repeated(
    digest(algo, ...Array.from({ length: password.length }, () => password)),
    password.length,
  );
  const ds = digest(algo, ...Array.from({ length: 16 + c[0] }, () => s));
  const sp = repeated(ds, s.length);
  for (let r = 0; r < rounds; r++) {
    const h = createHash(algo);
    h.update(r & 1 ? p : c);
    if (r % 3) h.update(sp);
    if (r % 7) h.update(p);
    h.update(r & 1 ? c : p);
    c = h.digest();
  }
  const prefix = `$${bits === 512 ? 6 : 5}$${rounds === 5000 ? '' : `rounds=${rounds}$`}`;
  return `${prefix}${salt}$${encode(c, shaOrder(size))}`;
}

/** MD5-crypt; with magic `$apr1$` Apache's variant (htpasswd's default), the same rounds. */
export function md5Crypt(password: Buffer, salt: string, magic = '$1$'): string {
  const s = Buffer.from(salt, 'ascii');
  const alt = digest('md5', password, s, password);
  const parts: Buffer[] = [password, Buffer.from(magic), s, repeated(alt, password.length)];
  for (let i = password.length; i > 0; i >>= 1)
    parts.push(i & 1 ? Buffer.from([0]) : password.subarray(0, 1));
  let c = digest('md5', ...parts);
  for (let r = 0; r < 1000; r++) {
    const h = createHash('md5');
    h.update(r & 1 ? password : c);
    if (r % 3) h.update(s);
    if (r % 7) h.update(password);
    h.update(r & 1 ? c : password);
    c = h.digest();
  }
  const order = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [11]];
  return `${magic}${salt}$${encode(c, order)}`;
}

const memo = new Map<string, string>();

const BCRYPT_SALT = /^[./A-Za-z0-9]{22}$/;

/** passlib's bcrypt as 2.19 calls it; bcryptjs repairs a salt's unused bits as passlib's bcrypt64 does. */
function bcryptHash(secret: string, salt: unknown, rounds: unknown, ident: unknown): string {
  const given = salt === undefined || salt === null || salt === '' ? undefined : String(salt);
  if (given !== undefined && !BCRYPT_SALT.test(given))
    throw new FilterError(
      'password_hash: Could not hash the secret: a bcrypt salt is 22 of the characters ./0-9A-Za-z',
    );
  const n = rounds === undefined || rounds === null || rounds === 0 ? 12 : Number(rounds);
  if (!Number.isInteger(n) || n < 4 || n > 31)
    throw new FilterError(
      'password_hash: Could not hash the secret: bcrypt rounds must be a whole number from 4 to 31',
    );
  const id = ident === undefined || ident === null || ident === '' ? '2b' : String(ident);
  if (!['2a', '2b', '2y'].includes(id))
    throw new FilterError(`password_hash: bcrypt ident ${id} is not one quorum has (2a, 2b, 2y)`);
  const chosen = given ?? Array.from({ length: 22 }, () => ITOA64[randomInt(64)]).join('');
  const key = JSON.stringify(['bcrypt', secret, chosen, n, id]);
  const known = memo.get(key);
  if (known) return known;
  const out = bcrypt.hashSync(secret, `$${id}$${String(n).padStart(2, '0')}$${chosen}`);
  if (given !== undefined) memo.set(key, out);
  return out;
}

export function passwordHash(value: unknown, ...args: unknown[]): string {
  const kw = (
    args.at(-1) && typeof args.at(-1) === 'object' && !Array.isArray(args.at(-1)) ? args.pop() : {}
  ) as Record<string, unknown>;
  const [hashtype = kw.hashtype ?? 'sha512', salt = kw.salt, rounds = kw.rounds] = args;
  for (const k of Object.keys(kw))
    if (!['hashtype', 'salt', 'rounds', 'salt_size', 'ident'].includes(k))
      throw new FilterError(`password_hash: quorum does not have the argument ${k}`);
  if (['blowfish', 'bcrypt'].includes(String(hashtype)))
    return bcryptHash(String(value), salt, rounds, kw.ident);
  const algorithm = ALGORITHMS[String(hashtype)];
  if (!algorithm)
    throw new FilterError(
      `password_hash: ${String(hashtype)} is not in the list of supported passlib algorithms: md5, blowfish, sha256, sha512`,
    );
  const settings = SETTINGS[algorithm as keyof typeof SETTINGS];
  const size = kw.salt_size === undefined || kw.salt_size === null ? settings.saltSize : Number(kw.salt_size);
  const given = salt === undefined || salt === null || salt === '' ? undefined : String(salt);
  if (given !== undefined && (!/^[./0-9A-Za-z]*$/.test(given) || given.length > settings.saltSize))
    throw new FilterError(
      `password_hash: Could not hash the secret: the salt must be at most ${settings.saltSize} of the characters ./0-9A-Za-z`,
    );
  const chosen = given ?? Array.from({ length: size }, () => ITOA64[randomInt(64)]).join('');
  const n = rounds === undefined || rounds === null || rounds === 0 ? settings.rounds : Number(rounds);
  if (
    algorithm !== 'md5_crypt' &&
    (!Number.isInteger(n) || (n as number) < 1000 || (n as number) > 999_999_999)
  )
    throw new FilterError(
      'password_hash: Could not hash the secret: rounds must be a whole number from 1000 to 999999999',
    );
  const password = Buffer.from(String(value), 'utf8');
  const key = JSON.stringify([algorithm, String(value), chosen, n]);
  const known = memo.get(key);
  if (known) return known;
  const out =
    algorithm === 'md5_crypt'
      ? md5Crypt(password, chosen)
      : shaCrypt(algorithm === 'sha512_crypt' ? 512 : 256, password, chosen, n as number);
  // a given salt gives the same hash every time: kept, since each host and validate render it
  if (given !== undefined) memo.set(key, out);
  return out;
}
