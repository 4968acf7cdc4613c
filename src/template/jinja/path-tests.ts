/**
 * ansible-core 2.19's path and URI tests (plugins/test/files.py, uri.py, core.py's vaulted_file):
 * Python's os.path functions and urllib's urlparse, on the controller, as in Ansible.
 */
import { closeSync, existsSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { FilterError } from './filter-error.ts';
import { pyTruth, pyTypeName } from './values.ts';

const lstat = (p: string) => lstatSync(p, { throwIfNoEntry: false });
const stat = (p: string) => statSync(p, { throwIfNoEntry: false });

/** os.path.ismount: not a link, and on another device than its parent, or the same inode (/). */
function isMount(v: unknown): boolean {
  const p = String(v);
  const own = lstat(p);
  if (!own || own.isSymbolicLink()) return false;
  const parent = lstat(join(p, '..'));
  if (!parent) return false;
  return own.dev !== parent.dev || own.ino === parent.ino;
}

/** os.path.samefile: both exist (Python raises FileNotFoundError otherwise), same device and inode. */
function sameFile(a: unknown, b: unknown): boolean {
  const [x, y] = [String(a), String(b)].map((p) => {
    const s = stat(p);
    if (!s) throw new FilterError(`[Errno 2] No such file or directory: '${p}'`);
    return s;
  });
  return x.dev === y.dev && x.ino === y.ino;
}

/** urllib.parse.urlsplit's scheme and netloc, as is_uri and is_url read them. */
function urlParts(v: string): { scheme: string; netloc: string } {
  // urlsplit strips leading C0 controls and spaces, and drops tabs and newlines anywhere
  let url = v.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (!url.startsWith('//')) return { scheme, netloc: '' };
  const end = url.slice(2).search(/[/?#]/);
  return { scheme, netloc: end < 0 ? url.slice(2) : url.slice(2, 2 + end) };
}

/** is_uri: anything urlparse reads (scheme and path are never None), its scheme `in schemes` if given. */
function isUri(v: unknown, schemes?: unknown): boolean {
  if (typeof v !== 'string') return false; // urlparse raises on other types; the test says False
  if (!pyTruth(schemes ?? null)) return true;
  const { scheme } = urlParts(v);
  if (Array.isArray(schemes)) return schemes.includes(scheme);
  if (typeof schemes === 'string') return schemes.includes(scheme);
  throw new FilterError(`argument of type '${pyTypeName(schemes)}' is not iterable`);
}

function isUrl(v: unknown, schemes?: unknown): boolean {
  if (!isUri(v, schemes)) return false;
  const { scheme, netloc } = urlParts(v as string);
  return netloc !== '' || scheme === 'file';
}

const VAULT_HEADER = '$ANSIBLE_VAULT';

/** core.py's vaulted_file: the file's first bytes are the vault header; a file that cannot be read fails. */
function vaultedFile(v: unknown): boolean {
  const p = String(v);
  const head = Buffer.alloc(VAULT_HEADER.length);
  let n: number;
  try {
    const fd = openSync(p, 'r');
    try {
      n = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    throw new FilterError(`Cannot test if the file '${p}' is a vault.`);
  }
  return head.subarray(0, n).toString('latin1') === VAULT_HEADER;
}

const isDir = (v: unknown) => stat(String(v))?.isDirectory() ?? false;
const isFile = (v: unknown) => stat(String(v))?.isFile() ?? false;
const isLink = (v: unknown) => lstat(String(v))?.isSymbolicLink() ?? false;
const isAbs = (v: unknown) => isAbsolute(String(v));

export const PATH_TESTS: Record<string, (v: unknown, ...args: unknown[]) => boolean> = {
  directory: isDir,
  is_dir: isDir,
  file: isFile,
  is_file: isFile,
  link: isLink,
  is_link: isLink,
  exists: (v) => existsSync(String(v)),
  link_exists: (v) => lstat(String(v)) !== undefined,
  abs: isAbs,
  is_abs: isAbs,
  same_file: sameFile,
  is_same_file: sameFile,
  mount: isMount,
  is_mount: isMount,
  uri: isUri,
  url: isUrl,
  urn: (v) => isUri(v, ['urn']),
  vaulted_file: vaultedFile,
};
