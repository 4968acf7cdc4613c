// Answers a role keeps on the controller between runs: what a costly program said on a host
// (kubeadm certs check-expiration, gpg about a keyring), kept with a listing of the files it
// read (one `stat` of names, sizes, times to the nanosecond, inodes). While the host lists the
// same, the kept answer is the program's answer without starting it. One file per kind and host
// (controller-cache.ts), replaced by the next answer.
// Only answers without secrets are kept; deleting the folder costs each host one call.
import { createHash } from 'node:crypto';
import { readCached, writeCached } from '../controller-cache.ts';

/** How a kept answer's files are listed: name, size, mtime and ctime to the nanosecond, inode. */
export const STAT_LISTING = "stat -L -c '%n %s %.9Y %.9Z %i'";

interface Entry {
  listing: string;
  answer: string;
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
  const e = readCached(kind, host, env) as Partial<Entry> | undefined;
  return e?.listing === digest(host, listing) && typeof e.answer === 'string' ? e.answer : undefined;
}

/** Keeps an answer for this listing. */
export function keepAnswer(kind: string, host: string, listing: string, answer: string, env = process.env) {
  writeCached(kind, host, { listing: digest(host, listing), answer } satisfies Entry, env);
}
