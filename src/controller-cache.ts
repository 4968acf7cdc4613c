// What quorum keeps on the controller between runs, one JSON file per kind and host under
// $XDG_CACHE_HOME/quorum (default ~/.cache), owner-only: learned probes (execute/learned-probes.ts)
// and kept answers (cluster/kept-answers.ts). Nothing kept is needed: a file that cannot be read
// or written only costs the next run the work it saved.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

function cacheFile(kind: string, host: string, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'quorum', kind, `${encodeURIComponent(host)}.json`);
}

/** The value kept for this kind and host, undefined when there is none or it does not parse. */
export function readCached(kind: string, host: string, env = process.env): unknown {
  try {
    return JSON.parse(readFileSync(cacheFile(kind, host, env), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Replaces the value kept for this kind and host (written whole, then renamed into place). */
export function writeCached(kind: string, host: string, value: unknown, env = process.env) {
  const file = cacheFile(kind, host, env);
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(`${file}.tmp`, JSON.stringify(value), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {}
}
