/**
 * Reading what a user hands quorum (inventories, playbooks, vars files, -e @file, templates)
 * with a bound: `-e @/dev/zero` or a runaway generated file is refused after MAX bytes instead of
 * filling memory. Read in chunks, not by size from stat, so pipes (`-e @<(...)`) and devices are
 * bounded too.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from './errors.ts';

/** Inventories, playbooks and vars files larger than this are refused (Ansible has no bound). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Files a task copies or templates from the controller: they are held in memory whole. */
export const MAX_LOCAL_FILE_BYTES = 1024 * 1024 * 1024;

const CHUNK = 1024 * 1024;

/** The file's bytes; an error naming it once it passes `max` bytes. Errors of fs are thrown as they are. */
export function readBounded(file: string, what: string, max = MAX_INPUT_BYTES): Buffer {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, max + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > max)
        throw new InputError(
          'INPUT_TOO_LARGE',
          `${what} is larger than ${formatBytes(max)}, quorum's limit for it`,
          { file },
          max === MAX_INPUT_BYTES
            ? 'a file of this size is not an inventory, playbook or vars file; check the path'
            : undefined,
        );
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** readBounded as UTF-8 text. */
export function readBoundedText(file: string, what: string, max = MAX_INPUT_BYTES): string {
  return readBounded(file, what, max).toString('utf8');
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${n / (1024 * 1024 * 1024)} GiB`;
  if (n >= 1024 * 1024) return `${n / (1024 * 1024)} MiB`;
  return `${n} bytes`;
}
