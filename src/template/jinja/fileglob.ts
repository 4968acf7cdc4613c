/**
 * ansible.builtin's `fileglob`, `realpath` and `expanduser` filters (plugins/filter/core.py),
 * on the controller's files. fileglob: the regular files Python's glob.glob finds, in the order glob
 * gives them (each folder's own, as the OS lists it, which glob's scandir reads too); a relative
 * pattern from the working folder; `*` and `?` skip a leading dot unless the part starts with one.
 */
import { opendirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { globToRegExp } from '../../glob.ts';

const MAGIC = /[*?[]/;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A folder's names in the order the OS gives them (readdirSync sorts them; Python's scandir does not). */
export function unsortedNames(dir: string): string[] {
  const names: string[] = [];
  let d: ReturnType<typeof opendirSync> | undefined;
  try {
    d = opendirSync(dir);
    for (let e = d.readSync(); e; e = d.readSync()) names.push(e.name);
  } catch {
    return [];
  } finally {
    d?.closeSync();
  }
  return names;
}

function expand(base: string, parts: string[]): string[] {
  if (parts.length === 0) return [base];
  const [part, ...rest] = parts;
  if (!MAGIC.test(part)) return expand(base === '' ? part : join(base, part), rest);
  const names = unsortedNames(base === '' ? '.' : base);
  const re = globToRegExp(part);
  const hidden = part.startsWith('.');
  return names
    .filter((n) => re.test(n) && (hidden || !n.startsWith('.')))
    .flatMap((n) => expand(base === '' ? n : join(base, n), rest));
}

export function fileglobFilter(pattern: unknown): string[] {
  const text = String(pattern);
  const absolute = text.startsWith('/');
  const parts = text.split('/').filter((p, i) => p !== '' || i === 0);
  const found = absolute ? expand('/', parts.slice(1)) : expand('', parts);
  return found.filter(isFile);
}

/** os.path.realpath on the controller: links resolved, a part that does not exist kept as written. */
export function realpathFilter(path: unknown): string {
  const full = resolve(String(path));
  try {
    return realpathSync(full);
  } catch {
    const parent = dirname(full);
    return parent === full ? full : join(realpathFilter(parent), basename(full));
  }
}

/** A user's home from the controller's /etc/passwd, as pwd.getpwnam reads it. */
function passwdHome(user: string): string | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[0] === user);
    return line?.split(':')[5];
  } catch {
    return undefined;
  }
}

/** os.path.expanduser on the controller: `~` is $HOME (else the user's own), `~user` theirs; else as written. */
export function expanduserFilter(path: unknown): string {
  const text = String(path);
  if (!text.startsWith('~')) return text;
  const slash = text.indexOf('/', 1);
  const end = slash < 0 ? text.length : slash;
  const user = text.slice(1, end);
  const home = user === '' ? (process.env.HOME ?? userInfo().homedir) : passwdHome(user);
  if (home === undefined) return text;
  return home.replace(/\/+$/, '') + text.slice(end) || '/';
}
