/**
 * Controller-side files a task names (copy src, template src, include_vars), looked up as
 * Ansible does. Bytes are bytes: a file is text only when it is valid UTF-8, and what must be
 * text (a template, a vars file, a manifest) is refused otherwise, never decoded with U+FFFD.
 */
import { isUtf8 } from 'node:buffer';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';
import { MAX_LOCAL_FILE_BYTES, readBounded } from '../input-file.ts';
import { openVaultBytes } from '../vault/secrets.ts';
import { isVaultText } from '../vault/vault.ts';

/**
 * A file every host copies is read once (and so hashed and encoded once, see content.ts and
 * remote-shell.ts): the same Buffer while the file's size, mtime and inode stay the same.
 */
const readCache = new Map<string, { key: string; bytes: Buffer; text?: string | false }>();

/** undefined: no such file (asked for every candidate folder of every host: no exception thrown). */
function readCached(path: string): { bytes: Buffer; text?: string | false } | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (!st.isFile()) return { bytes: readBounded(path, 'the file', MAX_LOCAL_FILE_BYTES) };
  const key = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const hit = readCache.get(path);
  if (hit?.key === key) return hit;
  const entry = { key, bytes: decryptedIfVault(readBounded(path, 'the file', MAX_LOCAL_FILE_BYTES), path) };
  readCache.set(path, entry);
  return entry;
}

/** A file ansible-vault encrypted, decrypted as Ansible's copy, template and include_vars read it. */
function decryptedIfVault(bytes: Buffer, path: string): Buffer {
  const head = bytes.subarray(0, 64).toString('latin1');
  return isVaultText(head) ? openVaultBytes(bytes.toString('latin1'), { file: path }) : bytes;
}

/** An absolute path as is; a relative one in each folder's `kind/`, then in the folder itself. */
export function readLocalBytes(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates' | 'vars',
): Buffer {
  return readLocal(searchDirs, path, kind).bytes;
}

function readLocal(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates' | 'vars',
): { bytes: Buffer; text?: string | false } {
  const candidates = isAbsolute(path)
    ? [path]
    : searchDirs.flatMap((d) => [join(d, kind, path), join(d, path)]);
  for (const c of candidates) {
    try {
      const found = readCached(c);
      if (found) return found;
    } catch (e) {
      if (e instanceof InputError) throw e;
    }
  }
  throw new InputError(
    'FILE_MISSING',
    `cannot find ${kind === 'templates' ? 'template' : kind === 'vars' ? 'vars file' : 'file'} "${path}"`,
    undefined,
    `looked in: ${candidates.join(', ')}`,
  );
}

/** Where a relative controller path is (files/ or `kind`/, then each folder); in the last folder when nowhere. */
export function localPath(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates' | 'vars' = 'files',
): string {
  if (isAbsolute(path)) return path;
  const candidates = searchDirs.flatMap((d) => [join(d, kind, path), join(d, path)]);
  return candidates.find((c) => existsSync(c)) ?? join(searchDirs.at(-1) ?? '.', path);
}

/** The file as text; a file that is not UTF-8 is an error (it would be changed by decoding). */
export function readLocalFile(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates' | 'vars',
): string {
  const file = readLocal(searchDirs, path, kind);
  // decoded once per version of the file, as it is read once
  file.text ??= isUtf8(file.bytes) ? file.bytes.toString('utf8') : false;
  if (file.text === false)
    throw new InputError(
      'SCHEMA',
      `"${path}" is not UTF-8 text: as a ${kind === 'templates' ? 'template' : kind === 'vars' ? 'vars file' : 'text file'} it would be changed by decoding`,
      undefined,
      kind === 'templates' ? 'copy a binary file with copy, which moves its bytes as they are' : undefined,
    );
  return file.text;
}

/**
 * A controller folder a task names (copy's src: a folder), found as readLocalFile finds files:
 * the files under it (their bytes) by path relative to it, folders too (they end with /). Undefined when no
 * such folder exists.
 */
export function listLocalDir(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates',
): Map<string, Buffer> | undefined {
  const candidates = isAbsolute(path)
    ? [path]
    : searchDirs.flatMap((d) => [join(d, kind, path), join(d, path)]);
  const dir = candidates.find((c) => {
    try {
      return statSync(c).isDirectory();
    } catch {
      return false;
    }
  });
  if (!dir) return undefined;
  const out = new Map<string, Buffer>();
  const walk = (rel: string, depth: number) => {
    if (depth > 20) throw new InputError('FILE_MISSING', `folder ${path} nests more than 20 deep`);
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out.set(`${child}/`, Buffer.alloc(0));
        walk(child, depth + 1);
      } else {
        const file = join(dir, child);
        out.set(child, readCached(file)?.bytes ?? readBounded(file, 'the file', MAX_LOCAL_FILE_BYTES));
      }
    }
  };
  walk('', 0);
  return out;
}
