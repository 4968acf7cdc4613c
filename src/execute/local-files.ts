/** Controller-side files a task names (copy src, template src, include_vars), looked up as Ansible does. */
import { readFileSync } from 'node:fs';
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
