/**
 * Reads whose answer is a function of a few files on the host: dpkg-query's word on packages
 * comes from dpkg's database alone, yet costs ~10 ms of a host's CPU each time (it parses the
 * whole status file), four times per node in cluster.yml. Such a read is kept on the controller
 * with one `stat` of its files (name, size, times to the nanosecond, inode: dpkg replaces its
 * status file by a rename, so every write is a new inode); while the host lists the same, the
 * kept answer is the read's answer without running it (kept-answers.ts stores it).
 *
 * The listing is read before the command: a database changed in between is listed differently
 * on the next run, which then reads again. Nothing is kept where the first file is missing (the
 * database of another package manager is what changes there) or where `stat` does not print
 * nanosecond times (not GNU's: the listing would not tell a rewrite within a second).
 */
import { createHash } from 'node:crypto';
import { sh } from '../transport/shell.ts';
import type { ExecResult } from '../transport/types.ts';
import { keepAnswer, keptAnswer } from './kept-answers.ts';

export const listingCommand = (files: string[]) =>
  `stat -L -c '%n %s %.9Y %.9Z %i' -- ${sh`${files}`} 2>/dev/null; true`;

const LISTED = /^\S+ \d+ \d+\.\d{9} \d+\.\d{9} \d+$/;

/** A listing that can key an answer: the first file there, every line GNU stat's full form. */
function usableListing(files: string[], listing: ExecResult): boolean {
  const lines = listing.stdout.split('\n').filter(Boolean);
  return (
    listing.code === 0 &&
    lines[0]?.startsWith(`${files[0]} `) === true &&
    lines.every((line) => LISTED.test(line))
  );
}

/**
 * `command`'s answer, from the controller while `files` list as when it was kept.
 * `key` names the read as it runs (its user, become, environment); `read` runs a command on the
 * host (the step's probe: cached, sent ahead, learned).
 */
export async function keptProbe(
  host: string,
  key: string,
  command: string,
  files: string[],
  read: (command: string) => Promise<ExecResult>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ExecResult> {
  const listing = await read(listingCommand(files));
  const usable = usableListing(files, listing);
  const kind = `kept-reads/${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
  if (usable) {
    const kept = keptAnswer(kind, host, listing.stdout, env);
    if (kept !== undefined) return JSON.parse(kept) as ExecResult;
  }
  const answer = await read(command);
  if (usable) {
    const { code, stdout, stderr } = answer;
    keepAnswer(kind, host, listing.stdout, JSON.stringify({ code, stdout, stderr }), env);
  }
  return answer;
}
