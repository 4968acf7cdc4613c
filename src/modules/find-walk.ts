/**
 * What ansible-core 2.19's find walks and registers: os.walk's order (a folder's files, then its
 * folders, each in the folder's own order, then each folder walked in turn), `examined` as it
 * counts (every entry of every folder walked, hidden ones and one level past `depth` included),
 * and each match's statinfo() (lstat: mode, the is* flags, ids and names, size, inode, dev,
 * nlink, times as Python's floats, permission bits). One `find -printf` lists a path's entries
 * (lstat, and the type a link leads to, which os.walk sorts by); with `follow`, find -L walks
 * into linked folders and stat (not following) describes each entry, as the module's os.lstat.
 */
import { sh } from '../transport/shell.ts';

export interface Entry {
  path: string;
  /** os.walk's is_dir(): a folder, or a link to one. */
  walksAsDir: boolean;
  /** lstat's type: f d l c b p s */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
}

export interface Root {
  path: string;
  isDir: boolean;
  entries: Entry[];
}

const FIND_FORMAT = '%Y\\t%y\\t%m\\t%U\\t%G\\t%u\\t%g\\t%s\\t%i\\t%D\\t%n\\t%A@\\t%T@\\t%C@\\t%p\\0';
const STAT_FORMAT = '%f\\t%u\\t%g\\t%U\\t%G\\t%s\\t%i\\t%d\\t%h\\t%.9X\\t%.9Y\\t%.9Z\\t%n\\0';
const ROOT = '\u0001root';

const slashes = (text: string) => text.split('/').length - 1;

/**
 * The module's depth of an entry: slashes in its normalized path less those in the path asked
 * as written, plus one. A path written with `..` or `//` in it counts shallower than it lies
 * (2.19 does so), so the walk goes as much deeper.
 */
const depthOf = (asked: string, entry: string) =>
  slashes(normpath(entry)) - slashes(`${asked.replace(/\/+$/, '')}/`) + 1;

/** How deep find must list under `asked`: the module counts one level past `depth`. */
function listDepth(asked: string, recurse: boolean, depth: number | undefined): string {
  if (!recurse) return ' -maxdepth 1';
  if (!depth) return '';
  // the real level of an entry the module counts at depth + 1
  const extra = slashes(`${asked.replace(/\/+$/, '')}/`) - slashes(`${normpath(asked).replace(/\/+$/, '')}/`);
  return ` -maxdepth ${Math.max(1, depth + 1 + extra)}`;
}

/** The shell command: the host's clock, then for each path whether it is a folder and its entries. */
export function walkCommand(
  paths: string[],
  recurse: boolean,
  depth: number | undefined,
  follow: boolean,
): string {
  const parts = paths.map((p) => {
    const levels = listDepth(p, recurse, depth);
    const list = follow
      ? // the type each entry leads to, then each entry's lstat (two walks of the same tree)
        `${sh`find -L ${p}`} -mindepth 1${levels} -printf '%y\\t%p\\0' 2>/dev/null; printf '\\001stat\\0'; ${sh`find -L ${p}`} -mindepth 1${levels} -print0 2>/dev/null | xargs -0r stat --printf '${STAT_FORMAT}' 2>/dev/null`
      : `${sh`find ${p}`} -mindepth 1${levels} -printf '${FIND_FORMAT}' 2>/dev/null`;
    return `printf '${ROOT}\\0%s\\0' ${sh`${p}`}; if [ -d ${sh`${p}`} ]; then printf 'dir\\0'; ${list}; else printf 'notdir\\0'; fi`;
  });
  return `date +%s.%N; ${parts.join('; ')}; true`;
}

/** find's and stat's `seconds.fraction` as Python's st_*time: sec + nsec * 1e-9, the same double. */
function pyTime(text: string): number {
  const [sec, frac = ''] = text.split('.');
  return Number(sec) + Number(frac.slice(0, 9).padEnd(9, '0')) * 1e-9;
}

/** find prints the id, stat UNKNOWN, where a name is unknown; Python's getpwuid fails there: ''. */
const nameOr = (name: string, id: string) => (name === id || name === 'UNKNOWN' ? '' : name);

/** The fields find and stat both print, in one order: uid gid owner group size inode dev nlink times path. */
function described(f: string[]): Omit<Entry, 'walksAsDir' | 'type' | 'mode'> {
  const [uid, gid, owner, group, size, inode, dev, nlink, at, mt, ct] = f;
  return {
    path: f.slice(11).join('\t'),
    uid: Number(uid),
    gid: Number(gid),
    owner: nameOr(owner, uid),
    group: nameOr(group, gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: pyTime(at),
    mtime: pyTime(mt),
    ctime: pyTime(ct),
  };
}

function fromFind(record: string): Entry | undefined {
  const f = record.split('\t');
  if (f.length < 15) return undefined;
  const [followed, type, mode] = f;
  return { ...described(f.slice(3)), walksAsDir: followed === 'd', type, mode: Number.parseInt(mode, 8) };
}

/** S_IFMT's values (0xc000 socket ... 0x1000 fifo; the formatter writes object keys in decimal). */
const TYPE_BITS: Record<number, string> = {
  49152: 's',
  40960: 'l',
  32768: 'f',
  24576: 'b',
  16384: 'd',
  8192: 'c',
  4096: 'p',
};

function fromStat(record: string): Entry | undefined {
  const f = record.split('\t');
  if (f.length < 13) return undefined;
  const bits = Number.parseInt(f[0], 16);
  return {
    ...described(f.slice(1)),
    walksAsDir: false,
    type: TYPE_BITS[bits & 0xf000] ?? '?',
    mode: bits & 0o7777,
  };
}

/** The probe's answer: the host's clock and each path's entries in the order find listed them. */
export function parseWalk(stdout: string, follow: boolean): { now: number; roots: Root[] } {
  const cut = stdout.indexOf('\n');
  const now = Number(stdout.slice(0, cut));
  const roots: Root[] = [];
  for (const chunk of stdout
    .slice(cut + 1)
    .split(`${ROOT}\0`)
    .slice(1)) {
    const [path, kind, ...records] = chunk.split('\0');
    const root: Root = { path, isDir: kind === 'dir', entries: [] };
    if (follow) {
      const at = records.indexOf('\u0001stat');
      const types = new Map(
        records.slice(0, at).map((r) => [r.slice(r.indexOf('\t') + 1), r.slice(0, r.indexOf('\t'))]),
      );
      for (const r of records.slice(at + 1)) {
        const e = r ? fromStat(r) : undefined;
        if (e) root.entries.push({ ...e, walksAsDir: types.get(e.path) === 'd' });
      }
    } else
      for (const r of records) {
        const e = r ? fromFind(r) : undefined;
        if (e) root.entries.push(e);
      }
    roots.push(root);
  }
  return { now, roots };
}

/** Python's posixpath.normpath. */
export function normpath(path: string): string {
  const slashes = path.startsWith('//') && !path.startsWith('///') ? 2 : path.startsWith('/') ? 1 : 0;
  const out: string[] = [];
  for (const comp of path.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (slashes === 0 && out.length === 0) || out.at(-1) === '..') out.push(comp);
    else if (out.length > 0) out.pop();
  }
  return '/'.repeat(slashes) + out.join('/') || '.';
}

/** An entry as the module meets it in os.walk. */
export interface Visit {
  entry: Entry;
  name: string;
}

const parentOf = (path: string) => {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
};

/**
 * os.walk(root, topdown=True) as the module loops over it: each folder's files then folders,
 * `depth` emptying the folders to walk where an entry lies deeper, walking on only with
 * `recurse`; `looked` as the module counts it.
 */
export function walk(root: Root, recurse: boolean, depth: number | undefined, follow: boolean) {
  const top = root.path.replace(/(.)\/+$/, '$1');
  const children = new Map<string, Entry[]>();
  for (const e of root.entries) {
    const parent = parentOf(e.path);
    const list = children.get(parent);
    if (list) list.push(e);
    else children.set(parent, [e]);
  }
  const visits: Visit[] = [];
  let looked = 0;
  const visit = (folder: string): void => {
    const entries = children.get(folder) ?? [];
    const files = entries.filter((e) => !e.walksAsDir);
    let dirs = entries.filter((e) => e.walksAsDir);
    looked += entries.length;
    for (const entry of [...files, ...dirs]) {
      if (depth && depthOf(root.path, entry.path) > depth) {
        dirs = [];
        continue;
      }
      visits.push({ entry, name: entry.path.slice(entry.path.lastIndexOf('/') + 1) });
    }
    if (!recurse) return;
    // os.walk does not go into a link to a folder unless it follows links
    for (const d of dirs) if (follow || d.type === 'd') visit(d.path);
  };
  visit(top);
  return { visits, looked };
}

const bit = (mode: number, mask: number) => (mode & mask) !== 0;

/** The module's statinfo() of an entry, with its path first. */
export function statinfo(e: Entry): Record<string, unknown> {
  return {
    path: normpath(e.path),
    mode: (e.mode & 0o7777).toString(8).padStart(4, '0'),
    isdir: e.type === 'd',
    ischr: e.type === 'c',
    isblk: e.type === 'b',
    isreg: e.type === 'f',
    isfifo: e.type === 'p',
    islnk: e.type === 'l',
    issock: e.type === 's',
    uid: e.uid,
    gid: e.gid,
    size: e.size,
    inode: e.inode,
    dev: e.dev,
    nlink: e.nlink,
    atime: e.atime,
    mtime: e.mtime,
    ctime: e.ctime,
    gr_name: e.group,
    pw_name: e.owner,
    wusr: bit(e.mode, 0o200),
    rusr: bit(e.mode, 0o400),
    xusr: bit(e.mode, 0o100),
    wgrp: bit(e.mode, 0o020),
    rgrp: bit(e.mode, 0o040),
    xgrp: bit(e.mode, 0o010),
    woth: bit(e.mode, 0o002),
    roth: bit(e.mode, 0o004),
    xoth: bit(e.mode, 0o001),
    isuid: bit(e.mode, 0o4000),
    isgid: bit(e.mode, 0o2000),
  };
}
