/**
 * The password hashes of an htpasswd file as passlib's htpasswd context (passlib 1.7, which
 * community.general's htpasswd module uses) writes and checks them: apr_md5_crypt ($apr1$, the
 * module's default), md5_crypt, sha256_crypt, sha512_crypt, bcrypt, ldap_sha1 ({SHA}) and
 * plaintext. des_crypt is refused: quorum cannot check it, and a guess would rewrite a password
 * Ansible leaves alone.
 */
import { createHash, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { ITOA64, md5Crypt, shaCrypt } from '../template/jinja/password-hash.ts';

const salt = (n: number) => Array.from({ length: n }, () => ITOA64[randomInt(64)]).join('');

/** The schemes the module can write (`hash_scheme`), with passlib's defaults for salt and rounds. */
export const WRITERS: Record<string, (password: string) => string> = {
  apr_md5_crypt: (pw) => md5Crypt(Buffer.from(pw), salt(8), '$apr1$'),
  md5_crypt: (pw) => md5Crypt(Buffer.from(pw), salt(8)),
  sha256_crypt: (pw) => shaCrypt(256, Buffer.from(pw), salt(16), 535000),
  sha512_crypt: (pw) => shaCrypt(512, Buffer.from(pw), salt(16), 656000),
  bcrypt: (pw) => bcrypt.hashSync(pw, `$2b$12$${salt(22)}`),
  ldap_sha1: (pw) => `{SHA}${createHash('sha1').update(pw).digest('base64')}`,
  plaintext: (pw) => pw,
};

const SCHEMES: Record<string, { identify: RegExp; check: (pw: string, hash: string) => boolean | string }> = {
  bcrypt: {
    identify: /^\$2[abxy]?\$/,
    check: (pw, hash) => bcrypt.compareSync(pw, hash.replace(/^\$2y\$/, '$2b$')),
  },
  sha256_crypt: { identify: /^\$5\$/, check: (pw, hash) => shaCheck(256, pw, hash) },
  sha512_crypt: { identify: /^\$6\$/, check: (pw, hash) => shaCheck(512, pw, hash) },
  apr_md5_crypt: {
    identify: /^\$apr1\$/,
    check: (pw, hash) => md5Crypt(Buffer.from(pw), hash.split('$')[2] ?? '', '$apr1$') === hash,
  },
  md5_crypt: {
    identify: /^\$1\$/,
    check: (pw, hash) => md5Crypt(Buffer.from(pw), hash.split('$')[2] ?? '') === hash,
  },
  des_crypt: {
    identify: /^[./0-9A-Za-z]{13}$/,
    check: () => 'a des_crypt hash, which quorum cannot check (write it again with another hash_scheme)',
  },
  ldap_sha1: { identify: /^\{SHA\}/, check: (pw, hash) => hash === WRITERS.ldap_sha1(pw) },
  plaintext: { identify: /^/, check: (pw, hash) => hash === pw },
};

function shaCheck(bits: 256 | 512, pw: string, hash: string): boolean {
  const m = /^\$[56]\$(?:rounds=(\d+)\$)?([^$]{0,16})\$/.exec(hash);
  return m !== null && shaCrypt(bits, Buffer.from(pw), m[2], Number(m[1] ?? 5000)) === hash;
}

/** passlib's htpasswd_context (its order decides which scheme reads a hash: plaintext before md5_crypt). */
const APACHE = [
  'bcrypt',
  'sha256_crypt',
  'sha512_crypt',
  'apr_md5_crypt',
  'des_crypt',
  'ldap_sha1',
  'plaintext',
];
const APACHE_HASHES = ['apr_md5_crypt', 'des_crypt', 'ldap_sha1', 'plaintext'];

/**
 * Whether `password` is the one `hash` was made from, as the module's context checks it: the
 * htpasswd context for an Apache scheme, else the scheme and the Apache ones; a string when
 * quorum cannot tell.
 */
export function verify(password: string, hash: string, scheme: string): boolean | string {
  const context = APACHE_HASHES.includes(scheme) ? APACHE : [scheme, ...APACHE_HASHES];
  const name = context.find((n) => SCHEMES[n]?.identify.test(hash));
  return name === undefined ? false : SCHEMES[name].check(password, hash);
}
