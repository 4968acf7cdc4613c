/**
 * password_hash's crypt(3) hashes held to OpenSSL's (`openssl passwd -1/-5/-6`, glibc's
 * algorithms), bcrypt to ansible-core 2.19's passlib itself, on generated passwords and salts of every length, at crypt's 5000 rounds; the
 * corpus (test/corpus/expressions.yml) holds the filter to ansible-core 2.19's passlib, with its
 * 656000 default rounds. Without a salt: a fresh random one, of passlib's size.
 */
import { execFileSync } from 'node:child_process';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { passwordHash } from '../../src/template/jinja/password-hash.ts';
import type { Case } from '../corpus/jinja-cases.ts';
import { ansibleOutcomes, quorumOutcome } from '../corpus/jinja-diff.ts';

const SALT = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A generated value of `length` from `chars`, seeded by `n` (the same every run). */
const made = (n: number, length: number, chars: string) =>
  Array.from({ length }, (_, i) => chars[(n * 31 + i * 17 + ((n * i) % 7)) % chars.length]).join('');

describe('password_hash', () => {
  const cases = Array.from({ length: 24 }, (_, n) => ({
    algo: (['md5', 'sha256', 'sha512'] as const)[n % 3],
    password: made(n, n * 3, `${SALT}äé €!$ "'`),
    salt: made(n + 5, 1 + (n % (n % 3 === 0 ? 8 : 16)), SALT),
  }));

  it.each(cases)('$algo of a $password.length-character password, salt $salt: as openssl passwd', (c) => {
    const flag = { md5: '-1', sha256: '-5', sha512: '-6' }[c.algo];
    const openssl = execFileSync('openssl', ['passwd', flag, '-salt', c.salt, '-stdin'], {
      input: `${c.password}\n`,
      encoding: 'utf8',
    }).trim();
    const rounds = c.algo === 'md5' ? [] : [5000];
    expect(passwordHash(c.password, c.algo, c.salt, ...rounds)).toBe(openssl);
  });

  it('without a salt: a new random salt of 16 characters each time; rounds other than 5000 written in', () => {
    const [a, b] = [
      passwordHash('secret', 'sha512', null, 5000),
      passwordHash('secret', 'sha512', null, 5000),
    ];
    expect(a).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(a).not.toBe(b);
    expect(passwordHash('x', 'sha256', 'salt', { rounds: 6000 })).toMatch(/^\$5\$rounds=6000\$salt\$/);
  });

  it('refuses what passlib refuses', () => {
    expect(() => passwordHash('x', 'sha512', 'under_score')).toThrow(/salt must be at most 16/);
    expect(() => passwordHash('x', 'bcrypt', 'short')).toThrow(/a bcrypt salt is 22/);
    expect(() => passwordHash('x', 'bcrypt', null, 3)).toThrow(/from 4 to 31/);
    expect(() => passwordHash('x', 'sha1')).toThrow(/not in the list of supported passlib algorithms/);
    expect(() => passwordHash('x', 'sha512', 'salt', 999)).toThrow(/rounds must be/);
  });

  it("bcrypt (blowfish) as 2.19's passlib computes it: salts, rounds, idents, long and non-ASCII secrets", async () => {
    const secrets = ['secret', '', 'pässwörd €', 'x'.repeat(80), `${'y'.repeat(71)}é`];
    const salts = ['1234567890123456789012', './ABCDEFGHIJKLMNOPQRST', 'abcdefghijklmnopqrstuv'];
    const cases: Case[] = secrets.flatMap((secret, i) =>
      salts.map((salt, j) => {
        const extra = [
          `rounds=${4 + ((i + j) % 3)}`,
          ...(j === 1 ? ["ident='2a'"] : j === 2 ? ["ident='2y'"] : []),
        ];
        const src = `{{ ${JSON.stringify(secret)} | password_hash('${i % 2 ? 'blowfish' : 'bcrypt'}', salt='${salt}', ${extra.join(', ')}) }}`;
        return { role: 'bcrypt', where: src, kind: 'value' as const, src, vars: {} };
      }),
    );
    const theirs = await ansibleOutcomes(cases, true);
    expect(cases.map(quorumOutcome)).toEqual(theirs);
    expect(theirs.every((o) => 'ok' in o)).toBe(true);
    // without a salt: a new one each time, a hash bcrypt itself verifies
    const a = passwordHash('secret', 'bcrypt', null, 4);
    expect(a).toMatch(/^\$2b\$04\$[./0-9A-Za-z]{53}$/);
    expect(a).not.toBe(passwordHash('secret', 'bcrypt', null, 4));
    expect(bcrypt.compareSync('secret', a)).toBe(true);
  });
});
