/**
 * `fetch` (Ansible's): a file of the host copied to the controller, byte for byte. The probe is
 * the host file's sha256 against the controller file's: a file already there with the same bytes
 * is no change. `flat: false` (Ansible's default) puts it at DEST/HOST/SRC, `flat: true` at DEST
 * (DEST/ + the file's name when DEST ends with /). Also `backup_rotate`: the oldest files of a
 * controller folder (those named PREFIX...SUFFIX only) beyond `keep` removed (a backup's retention).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineModule } from './types.ts';

export interface FetchParams {
  src: string;
  dest: string;
  flat?: boolean;
  fail_on_missing?: boolean;
}

export function fetchDest(p: FetchParams, host: string): string {
  if (!p.flat) return join(p.dest, host, p.src);
  return p.dest.endsWith('/') ? join(p.dest, basename(p.src)) : p.dest;
}

function localSha256(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

export const fetchModule = defineModule<FetchParams>({
  name: 'fetch',
  aliases: ['ansible.builtin.fetch'],
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      flat: { type: 'boolean' },
      fail_on_missing: { type: 'boolean' },
      validate_checksum: { type: 'boolean', const: true },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const remote = await ctx.probePath(p.src, { checksum: true });
    if (remote.kind !== 'file')
      return p.fail_on_missing === false
        ? { changes: [], message: `${p.src} is not a file on ${ctx.host}: nothing fetched` }
        : { changes: [], failed: `${p.src} is not a file on ${ctx.host} (${remote.kind})` };
    const dest = fetchDest(p, ctx.host);
    const sha256 = remote.checksum ?? '';
    if (localSha256(dest) === sha256) return { changes: [], result: { dest, checksum: sha256 } };
    return {
      changes: [
        {
          summary: `fetch ${p.src} (sha256 ${sha256.slice(0, 12)}) to ${dest}`,
          action: { kind: 'fetch', src: p.src, dest, sha256 },
        },
      ],
      result: { dest, checksum: sha256 },
    };
  },
});

export interface BackupRotateParams {
  path: string;
  /** Files whose names start and end so, newest kept (by name: timestamped names sort in time order). */
  prefix?: string;
  suffix: string;
  keep: number;
}

export const backupRotateModule = defineModule<BackupRotateParams>({
  name: 'backup_rotate',
  schema: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1 },
      prefix: { type: 'string' },
      suffix: { type: 'string', minLength: 1 },
      keep: { type: 'integer', minimum: 1 },
    },
    required: ['path', 'suffix', 'keep'],
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    let names: string[] = [];
    try {
      names = readdirSync(p.path).filter(
        (n) => n.startsWith(p.prefix ?? '') && n.endsWith(p.suffix) && statSync(join(p.path, n)).isFile(),
      );
    } catch {
      return { changes: [] };
    }
    const old = names.sort().slice(0, Math.max(0, names.length - p.keep));
    if (!old.length) return { changes: [] };
    return {
      changes: [
        {
          summary: `remove the ${old.length} oldest of ${names.length} in ${p.path} (keep ${p.keep}): ${old.join(', ')}`,
          action: { kind: 'local-remove', paths: old.map((n) => join(p.path, n)) },
        },
      ],
    };
  },
});
