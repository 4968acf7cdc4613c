/** Where quorum itself is installed: found by walking up to its package.json, so it is the
 * same from the TypeScript sources and from the bundle in dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 10; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'quorum')
      return dir;
    dir = dirname(dir);
  }
  throw new Error(`cannot find quorum's package.json above ${start}`);
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);

export function quorumVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}
