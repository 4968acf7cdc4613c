/**
 * lookup('password', 'PATH [length=N] [chars=...] [encrypt=...]'), as ansible-core 2.19's
 * password lookup: the password kept in the controller file PATH (relative to the playbook's
 * folder), made at random when the file does not exist and written there (folder 0700, file 0600,
 * the password and a newline; with `encrypt`, ` salt=...` after it, and the lookup returns the
 * hash); `/dev/null` gives a new password at every use and keeps none. `chars` names Python's
 * string sets (ascii_letters, digits, punctuation ...) or gives characters, comma-separated (`,,`
 * is a comma); quotes are never chosen. `seed` draws the new password from Python's
 * random.Random(seed) (the same password as Ansible's for the same seed; the salt stays random, as
 * in Ansible); bcrypt's `ident` is refused. As in Ansible, a check run and `quorum validate` write a missing file too.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { FilterError } from './filter-error.ts';
import { passwordHash } from './password-hash.ts';
import { PyRandom, type RandomSource, systemRandom } from './py-random.ts';
import { pyStr } from './values.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Python's `string` module, the sets `chars` may name. */
const STRING_SETS: Record<string, string> = {
  ascii_letters: LETTERS,
  ascii_lowercase: LETTERS.slice(0, 26),
  ascii_uppercase: LETTERS.slice(26),
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
};
STRING_SETS.printable = `${STRING_SETS.digits}${LETTERS}${STRING_SETS.punctuation}${STRING_SETS.whitespace}`;
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];
const SALT_CHARS = `${LETTERS}0123456789./`;
const SALT_SIZES: Record<string, number> = { md5_crypt: 8, sha256_crypt: 16, sha512_crypt: 16 };
const VALID = ['length', 'encrypt', 'chars', 'ident', 'seed'];

const fail = (message: string): never => {
  throw new FilterError(`lookup("password"): ${message}`);
};

/** The term's path and key=value parameters (a word without `=` belongs to the path). */
function parseTerm(term: string): { path: string; params: Record<string, string> } {
  const [first, rest = ''] = term.split(/ (.*)/s);
  const params: Record<string, string> = {};
  const raw: string[] = [];
  for (const word of rest.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    const kv = /^(\w+)=(.*)$/s.exec(word);
    if (kv) params[kv[1]] = kv[2].replace(/^(["'])(.*)\1$/s, '$2');
    else raw.push(word);
  }
  const bad = Object.keys(params).filter((k) => !VALID.includes(k));
  if (bad.length) fail(`Unrecognized parameter(s) given to password lookup: ${bad.join(', ')}`);
  return { path: [first, ...raw].join(' '), params };
}

function candidates(chars: unknown): string {
  const specs = Array.isArray(chars)
    ? chars.map(String)
    : typeof chars === 'string'
      ? [...(chars.includes(',,') ? [','] : []), ...chars.replace(/,,/g, ',').split(',').filter(Boolean)]
      : DEFAULT_CHARS;
  return specs
    .map((s) => STRING_SETS[s] ?? s)
    .join('')
    .replace(/["']/g, '');
}

/** random_password: `chars` drawn by random.choice, from random.Random(seed) when a seed is given. */
const random = (length: number, chars: string, source: RandomSource = systemRandom) =>
  Array.from({ length }, () => chars[source.below(chars.length)]).join('');

/** The option is of type str: a number or a boolean seeds as the text Python prints. */
const seeded = (seed: unknown): RandomSource =>
  seed === undefined || seed === null ? systemRandom : new PyRandom(pyStr(seed));

/** `password salt=S ident=I`, as _parse_content reads it. */
function parseContent(content: string): { password: string; salt?: string } {
  const at = content.lastIndexOf(' salt=');
  if (at < 0) return { password: content };
  const rest = content.slice(at + 6);
  if (rest.includes(' ident=')) fail('a stored ident (bcrypt) is not supported by quorum');
  return { password: content.slice(0, at), salt: rest || undefined };
}

export function passwordLookup(term: string, kw: Record<string, unknown>, playbookDir: string): string {
  const { path: relpath, params } = parseTerm(term);
  const opt = { ...kw, ...params } as Record<string, unknown>;
  if (opt.ident !== undefined) fail('ident (bcrypt) is not supported by quorum');
  const encrypt = opt.encrypt === undefined ? undefined : String(opt.encrypt);
  if (encrypt !== undefined && !SALT_SIZES[encrypt])
    fail(`encrypt=${encrypt}: quorum has ${Object.keys(SALT_SIZES).join(', ')}`);
  const length = opt.length === undefined ? 20 : Number(opt.length);
  if (!Number.isInteger(length) || length < 0)
    fail(`length must be a whole number, not ${String(opt.length)}`);
  const path = isAbsolute(relpath) ? relpath : join(playbookDir, relpath);
  const devNull = path === '/dev/null';
  const stored = !devNull && existsSync(path) ? readFileSync(path, 'utf8').replace(/\s+$/, '') : undefined;
  let { password, salt } =
    stored === undefined
      ? { password: random(length, candidates(opt.chars), seeded(opt.seed)) }
      : parseContent(stored);
  let changed = stored === undefined;
  if (encrypt && !salt) {
    salt = random(SALT_SIZES[encrypt], SALT_CHARS);
    changed = true;
  }
  if (changed && !devNull) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${salt ? `${password} salt=${salt}` : password}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
  }
  return encrypt ? passwordHash(password, encrypt, salt) : password;
}
