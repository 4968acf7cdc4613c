// Answers a role keeps on the controller between runs: what a costly program said on a host
// (kubeadm certs check-expiration, gpg about a keyring), kept with a listing of the files it
// read (one `stat` of names, sizes, times to the nanosecond, inodes). While the host lists the
// same, the kept answer is the program's answer without starting it. One file per kind and host
// under $XDG_CACHE_HOME/quorum (default ~/.cache), replaced by the next answer; owner-only.
// Only answers without secrets are kept; deleting the folder costs each host one call.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

interface Entry {
  listing: string;
  answer: string;
}

function keptFile(env: NodeJS.ProcessEnv, kind: string, host: string): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'quorum', kind, `${encodeURIComponent(host)}.json`);
}

const digest = (host: string, listing: string) =>
  createHash('sha256')
    .update(JSON.stringify([host, listing]))
    .digest('hex');

/** The answer kept for this host while its files list the same, else undefined. */
export function keptAnswer(
  kind: string,
  host: string,
  listing: string,
  env = process.env,
): string | undefined {
  try {
    const e = JSON.parse(readFileSync(keptFile(env, kind, host), 'utf8')) as Entry;
    return e.listing === digest(host, listing) && typeof e.answer === 'string' ? e.answer : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps an answer for this listing; one that cannot be written only costs the next run a call. */
export function keepAnswer(kind: string, host: string, listing: string, answer: string, env = process.env) {
  const file = keptFile(env, kind, host);
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    const entry: Entry = { listing: digest(host, listing), answer };
    writeFileSync(`${file}.tmp`, JSON.stringify(entry), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch {}
}
