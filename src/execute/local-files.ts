/** Controller-side files a task names (copy src, template src, include_vars), looked up as Ansible does. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';

/** An absolute path as is; a relative one in each folder's `kind/`, then in the folder itself. */
export function readLocalFile(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates' | 'vars',
): string {
  const candidates = isAbsolute(path)
    ? [path]
    : searchDirs.flatMap((d) => [join(d, kind, path), join(d, path)]);
  for (const c of candidates) {
    try {
      return readFileSync(c, 'utf8');
    } catch {}
  }
  throw new InputError(
    'FILE_MISSING',
    `cannot find ${kind === 'templates' ? 'template' : kind === 'vars' ? 'vars file' : 'file'} "${path}"`,
    undefined,
    `looked in: ${candidates.join(', ')}`,
  );
}

/**
 * A controller folder a task names (copy's src: a folder), found as readLocalFile finds files:
 * the files under it by path relative to it, folders too (they end with /). Undefined when no
 * such folder exists.
 */
export function listLocalDir(
  searchDirs: string[],
  path: string,
  kind: 'files' | 'templates',
): Map<string, string> | undefined {
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
  const out = new Map<string, string>();
  const walk = (rel: string, depth: number) => {
    if (depth > 20) throw new InputError('FILE_MISSING', `folder ${path} nests more than 20 deep`);
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out.set(`${child}/`, '');
        walk(child, depth + 1);
      } else out.set(child, readFileSync(join(dir, child), 'utf8'));
    }
  };
  walk('', 0);
  return out;
}
