/** Where quorum itself is installed: found by walking up to its package.json, so it is the
 * same from the TypeScript sources and from the bundle in dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

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

/** What `quorum`, `quorum/cluster` and `quorum/testing` are in the running engine. */
export interface EngineEntry {
  path: string;
  url: string;
}

// name -> [the TypeScript source, the built module of the package's exports]
const ENTRY_POINTS: Record<string, [string, string]> = {
  quorum: ['src/index.ts', 'dist/lib/index.mjs'],
  'quorum/cluster': ['src/cluster/index.ts', 'dist/lib/cluster.mjs'],
  'quorum/testing': ['src/testing.ts', 'dist/lib/testing.mjs'],
};

/**
 * The entry points of this very engine: the built modules when it runs from its bundle (so a
 * role shares the engine's module instances), else the sources it runs from.
 */
export function engineEntryPoints(): Record<string, EngineEntry> {
  const fromSources = import.meta.url.endsWith('.ts');
  return Object.fromEntries(
    Object.entries(ENTRY_POINTS).map(([name, [source, built]]) => {
      const path = join(PROJECT_ROOT, fromSources ? source : built);
      return [name, { path, url: pathToFileURL(path).href }];
    }),
  );
}
