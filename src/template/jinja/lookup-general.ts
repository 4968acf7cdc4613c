/**
 * community.general's lookups that roles use, as its 12.0 plugins compute them:
 * `filetree` (plugins/lookup/filetree.py: a controller folder walked as os.walk walks it, each
 * entry's properties from lstat) and `random_string` (plugins/lookup/random_string.py).
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { type BigIntStats, existsSync, lstatSync, opendirSync, readlinkSync, statSync } from 'node:fs';
import { isAbsolute, normalize, relative } from 'node:path';
import { FilterError } from './filter-error.ts';

/** os.path.join: a later absolute part restarts, an empty last part leaves a trailing slash. */
function pyJoin(...parts: string[]): string {
  return parts.reduce((a, b) => (b.startsWith('/') ? b : a === '' || a.endsWith('/') ? a + b : `${a}/${b}`));
}

const unfrack = (p: string) => normalize(p).replace(/(.)\/$/, '$1');

/** The loader's path_dwim_relative(basedir, 'files', source): the first candidate that exists, else the last. */
function dwimFiles(basedir: string, playbookDir: string, source: string, inRole: boolean): string {
  if (source.startsWith('/')) return unfrack(source);
  const search = [
    pyJoin(basedir, 'files', source),
    unfrack(pyJoin(basedir, 'files', source)),
    ...(inRole && !source.endsWith('files') ? [unfrack(pyJoin(basedir, 'tasks', source))] : []),
    unfrack(pyJoin(basedir, source)),
    unfrack(pyJoin(playbookDir, 'files', source)),
    unfrack(pyJoin(playbookDir, source)),
  ];
  return search.find((c) => existsSync(c)) ?? (search.at(-1) as string);
}

/** A folder's entries in the order the kernel lists them (os.scandir's), as [name, isDir following links]. */
function scandir(dir: string): Array<[string, boolean]> {
  let handle: ReturnType<typeof opendirSync>;
  try {
    handle = opendirSync(dir);
  } catch {
    return [];
  }
  const out: Array<[string, boolean]> = [];
  try {
    for (let e = handle.readSync(); e; e = handle.readSync()) {
      let isDir = e.isDirectory();
      if (e.isSymbolicLink())
        try {
          isDir = statSync(pyJoin(dir, e.name)).isDirectory();
        } catch {}
      out.push([e.name, isDir]);
    }
  } finally {
    handle.closeSync();
  }
  return out;
}

/** os.walk(top, topdown=True): each folder's subfolders then files; links to folders listed, not entered. */
function* walk(top: string): Generator<[string, string[], string[]]> {
  const entries = scandir(top);
  const dirs = entries.filter(([, d]) => d).map(([n]) => n);
  const files = entries.filter(([, d]) => !d).map(([n]) => n);
  yield [top, dirs, files];
  for (const d of dirs) {
    const sub = pyJoin(top, d);
    if (!lstatSync(sub).isSymbolicLink()) yield* walk(sub);
  }
}

const names = new Map<string, string | number>();
/** pwd.getpwuid / grp.getgrgid on this machine, the number where there is no name. */
function nameOf(db: 'passwd' | 'group', id: number): string | number {
  const key = `${db}:${id}`;
  let name = names.get(key);
  if (name === undefined) {
    try {
      name = execFileSync('getent', [db, String(id)], { encoding: 'utf8' }).split(':')[0];
    } catch {
      name = id;
    }
    names.set(key, name);
  }
  return name;
}

/** Python's st_mtime/st_ctime: seconds plus nanoseconds * 1e-9, in double precision. */
const pyTime = (ns: bigint) => Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) * 1e-9;

function fileProps(root: string, path: string): Record<string, unknown> | undefined {
  const abspath = pyJoin(root, path);
  let st: BigIntStats;
  try {
    st = lstatSync(abspath, { bigint: true });
  } catch {
    return undefined;
  }
  const ret: Record<string, unknown> = { root, path };
  if (st.isSymbolicLink()) Object.assign(ret, { state: 'link', src: readlinkSync(abspath) });
  else if (st.isDirectory()) ret.state = 'directory';
  else if (st.isFile()) Object.assign(ret, { state: 'file', src: abspath });
  else return undefined;
  const [uid, gid] = [Number(st.uid), Number(st.gid)];
  return Object.assign(ret, {
    uid,
    gid,
    owner: nameOf('passwd', uid),
    group: nameOf('group', gid),
    mode: `0${(Number(st.mode) & 0o7777).toString(8).padStart(3, '0')}`,
    size: Number(st.size),
    mtime: pyTime(st.mtimeNs),
    ctime: pyTime(st.ctimeNs),
  });
}

/** lookup('community.general.filetree', ...): the trees of the terms, a path met in an earlier tree skipped. */
export function filetreeLookup(
  terms: unknown[],
  scope: Record<string, unknown>,
): Array<Record<string, unknown>> {
  // the SELinux context keys come from libselinux on an SELinux controller: not read here
  if (existsSync('/sys/fs/selinux/enforce'))
    throw new FilterError('lookup("filetree"): SELinux file contexts on this machine are not supported');
  const playbookDir = String(scope.playbook_dir ?? process.cwd());
  const basedir = typeof scope.role_path === 'string' ? scope.role_path : playbookDir;
  const ret: Array<Record<string, unknown>> = [];
  for (const term of terms.map(String)) {
    const slash = term.lastIndexOf('/');
    const [dir, base] = slash < 0 ? ['', term] : [term.slice(0, slash), term.slice(slash + 1)];
    const path = pyJoin(dwimFiles(basedir, playbookDir, dir, basedir !== playbookDir), base);
    if (!isAbsolute(path)) throw new FilterError(`lookup("filetree"): ${path} is not an absolute path`);
    for (const [root, dirs, files] of walk(path))
      for (const entry of [...dirs, ...files]) {
        const rel = relative(path, pyJoin(root, entry));
        if (ret.some((r) => r.path === rel)) continue;
        const props = fileProps(path, rel);
        if (props) ret.push(props);
      }
  }
  return ret;
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export const RANDOM_STRING_OPTIONS = [
  ...['length', 'upper', 'lower', 'numbers', 'special', 'min_numeric', 'min_lower', 'min_upper'],
  ...['min_special', 'override_special', 'override_all', 'ignore_similar_chars', 'similar_chars', 'base64'],
];

function pick(chars: string, count: number): string {
  if (!chars) throw new FilterError('Available characters cannot be None, please change constraints');
  let out = '';
  for (let i = 0; i < count; i++) out += chars[randomInt(chars.length)];
  return out;
}

/** lookup('community.general.random_string', ...): one random string (the terms are not read). */
export function randomStringLookup(kw: Record<string, unknown>): string[] {
  const num = (k: string, d: number) => (kw[k] === undefined ? d : Number(kw[k]));
  const flag = (k: string, d: boolean) => (kw[k] === undefined ? d : kw[k] === true || kw[k] === 'true');
  const similar = String(kw.similar_chars ?? 'iIl1LoO0');
  const keep = (s: string) =>
    flag('ignore_similar_chars', false) ? [...s].filter((c) => !similar.includes(c)).join('') : s;
  const [digits, lower, upper] = [keep(DIGITS), keep(LOWER), keep(UPPER)];
  let special = keep(PUNCTUATION);
  let values = '';
  let available = '';
  if (kw.override_all) available = String(kw.override_all);
  else {
    if (kw.override_special) special = String(kw.override_special);
    if (flag('upper', true)) available += upper;
    if (flag('lower', true)) available += lower;
    if (flag('numbers', true)) available += digits;
    if (flag('special', true)) available += special;
    for (const [k, chars] of [
      ['min_numeric', digits],
      ['min_lower', lower],
      ['min_upper', upper],
      ['min_special', special],
    ] as const)
      if (num(k, 0)) values += pick(chars, num(k, 0));
  }
  values += pick(available, Math.max(0, num('length', 8) - values.length));
  const shuffled = [...values];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const text = shuffled.join('');
  return [flag('base64', false) ? Buffer.from(text).toString('base64') : text];
}
