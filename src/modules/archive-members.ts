/**
 * What community.general's archive module (ansible 12.0.0, plugins/modules/archive.py) puts in an
 * archive, worked out from one listing of the host: its sources walked as os.walk walks them (a
 * folder's subfolders, then its files, in the folder's own order, then each subfolder; the folder
 * given is not itself a member), each named by its path less the sources' common root, as Python's
 * tarfile would describe it (type, mode, owner, size, whole-second mtime, link); and an existing
 * archive's members as GNU tar lists them. The module rewrites the archive and calls it changed
 * when its members' header checksums differ; the same headers mean the same checksums, so
 * comparing the headers decides the same without writing.
 */
import { posix } from 'node:path';

/** One entry of `find -printf` (see FIND_FORMAT): 11 fields, each ended by NUL. */
export interface Found {
  type: string; // %y: f d l p s c b
  target: string; // %Y: what a link points to (d for a folder)
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  inode: string;
  links: number;
  path: string;
  link: string;
}

export const FIND_FORMAT = '%y\\0%Y\\0%m\\0%U\\0%G\\0%s\\0%T@\\0%D:%i\\0%n\\0%p\\0%l\\0';

export function parseFound(text: string): Found[] {
  const f = text.split('\0');
  const out: Found[] = [];
  for (let i = 0; i + 10 < f.length; i += 11)
    out.push({
      type: f[i],
      target: f[i + 1],
      mode: Number.parseInt(f[i + 2], 8),
      uid: Number(f[i + 3]),
      gid: Number(f[i + 4]),
      size: Number(f[i + 5]),
      mtime: Math.trunc(Number(f[i + 6])),
      inode: f[i + 7],
      links: Number(f[i + 8]),
      path: f[i + 9],
      link: f[i + 10],
    });
  return out;
}

/** A member as `tar -tv` shows it, the fields a header checksum covers that quorum compares. */
export interface Member {
  name: string;
  type: string; // - d l h p c b
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  link: string;
  /** The source path it is made from (for `archived`). */
  path?: string;
}

/** The archive.py arcname: the path less the root when it starts with it. */
const stripPrefix = (prefix: string, s: string) => (s.startsWith(prefix) ? s.slice(prefix.length) : s);

/** Python's os.path.dirname: everything before the last slash (trailing slashes of it dropped). */
function pyDirname(p: string): string {
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
}

/** os.path.join(p, ''): p with one trailing slash (none added to an empty one). */
const slashed = (p: string) => (p === '' || p.endsWith('/') ? p : `${p}/`);

/** archive.py common_path: the character-wise common prefix of the paths' folders, as its folder. */
export function commonPath(paths: string[]): string {
  const dirs = paths.map((p) => slashed(pyDirname(p)));
  let prefix = dirs[0] ?? '';
  for (const d of dirs) while (!d.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return slashed(pyDirname(prefix));
}

/**
 * The members of the targets (each a `find` listing of one target), in the order add_targets adds
 * them; `excluded(arcname)` are left out (the tarfile filter), sockets too (tarfile ignores them).
 */
export function plannedMembers(
  listings: Found[][],
  root: string,
  excluded: (name: string) => boolean,
): Member[] {
  const members: Member[] = [];
  const seenInodes = new Map<string, string>();
  const add = (e: Found) => {
    const name = stripPrefix(root, e.path);
    if (e.type === 's' || excluded(name)) return;
    // tarfile: a second name of an inode with more than one link is a hard link to the first
    const first = e.type !== 'd' && e.links > 1 ? seenInodes.get(e.inode) : undefined;
    if (e.type !== 'd' && e.links > 1 && first === undefined) seenInodes.set(e.inode, name);
    const type =
      first !== undefined ? 'h' : ({ f: '-', d: 'd', l: 'l', p: 'p', c: 'c', b: 'b' }[e.type] ?? '?');
    members.push({
      name,
      type,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      size: type === '-' ? e.size : 0,
      mtime: e.mtime,
      link: first ?? (e.type === 'l' ? e.link : ''),
      path: e.path,
    });
  };
  for (const listing of listings) {
    const [top, ...rest] = listing;
    if (!top) continue;
    if (top.type !== 'd') {
      add(top);
      continue;
    }
    const children = new Map<string, Found[]>();
    for (const e of rest) {
      const parent = posix.dirname(e.path);
      children.set(parent, [...(children.get(parent) ?? []), e]);
    }
    const walk = (dir: string) => {
      const entries = children.get(dir) ?? [];
      // os.walk: a link to a folder is among the folders, but not walked into
      const isDir = (e: Found) => e.type === 'd' || (e.type === 'l' && e.target === 'd');
      const dirs = entries.filter(isDir);
      for (const e of [...dirs, ...entries.filter((e) => !isDir(e))]) add(e);
      for (const d of dirs) if (d.type === 'd') walk(d.path);
    };
    walk(top.path);
  }
  return members;
}

const MODE_BITS = 'rwxrwxrwx';

/** `-rwsr-xr-t` as mode bits (setuid, setgid and sticky in place of x). */
function modeOf(text: string): number {
  let mode = 0;
  for (let i = 0; i < 9; i++) {
    const c = text[i + 1];
    const exec = i % 3 === 2;
    if (c === MODE_BITS[i] || (exec && /[sStT]/.test(c))) mode |= (c === 'S' || c === 'T' ? 0 : 1) << (8 - i);
  }
  if (/[sS]/.test(text[3])) mode |= 0o4000;
  if (/[sS]/.test(text[6])) mode |= 0o2000;
  if (/[tT]/.test(text[9])) mode |= 0o1000;
  return mode;
}

/** GNU tar's escapes in names (`--quoting-style=escape`, its default) undone. */
const tarUnescape = (s: string) =>
  s.replace(/\\([0-7]{3}|[\\abfnrtv])/g, (_, c: string) =>
    /^[0-7]/.test(c)
      ? String.fromCharCode(Number.parseInt(c, 8))
      : (
          { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' } as Record<
            string,
            string
          >
        )[c],
  );

const LISTED =
  /^(\S)(\S{9}) (\d+)\/(\d+) +(\d+|\d+,\d+) (\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?) (.*?)(?: (->|link to) (.*))?$/;

/** `TZ=UTC tar -tv --numeric-owner --full-time`'s lines as members; undefined for a line it cannot read. */
export function parseListing(text: string): Member[] | undefined {
  const members: Member[] = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const m = LISTED.exec(line);
    if (!m) return undefined;
    const [, type, perms, uid, gid, size, when, name, , link] = m;
    members.push({
      name: tarUnescape(name).replace(/\/$/, ''),
      type: type === 'h' || m[8] === 'link to' ? 'h' : type,
      mode: modeOf(`${type}${perms}`),
      uid: Number(uid),
      gid: Number(gid),
      size: type === '-' ? Number(size) : 0,
      mtime: Date.parse(`${when.replace(' ', 'T')}Z`) / 1000,
      link: link === undefined ? '' : tarUnescape(link),
    });
  }
  return members;
}

/** The same members, whatever their order (the module compares sets of checksums). */
export function sameMembers(a: Member[], b: Member[]): boolean {
  const key = (m: Member) => JSON.stringify([m.name, m.type, m.mode, m.uid, m.gid, m.size, m.mtime, m.link]);
  const [x, y] = [new Set(a.map(key)), new Set(b.map(key))];
  return x.size === y.size && [...x].every((k) => y.has(k));
}
