/** lineinfile's registered result (lines.ts edits the file). */
import { normalizeMode } from './content.ts';
import type { LineParams } from './lines.ts';
import type { ModuleOutcome } from './types.ts';

/**
 * What 2.19's lineinfile registers besides `changed`: `msg` as the module words it (its
 * check_file_attrs suffix where the file's mode, owner or group change too), `found` for absent,
 * `backup` empty unless a backup is made (its name, the module's timestamp, is not registered).
 */
export function lineinfileResult(
  p: LineParams,
  out: ModuleOutcome,
  said: { msg: string; found?: number } | undefined,
  checkMode: boolean,
): Record<string, unknown> {
  if (!said) return { msg: 'file not present' };
  const created = out.changes.some((c) => c.summary.startsWith('create '));
  // a file the module makes has the umask's mode and the connection user's ids until set (its
  // check run returns before it looks at them)
  const attrs = created
    ? !checkMode &&
      ((p.mode !== undefined && normalizeMode(p.mode) !== '0644') ||
        (p.owner !== undefined && p.owner !== 'root') ||
        (p.group !== undefined && p.group !== 'root'))
    : out.changes.some((c) => c.action.kind === 'exec' && /^(chmod|chown|chgrp) /.test(c.action.command));
  const suffix = 'ownership, perms or SE linux context changed';
  const msg = attrs ? (said.msg ? `${said.msg} and ${suffix}` : suffix) : said.msg;
  return {
    msg,
    ...(said.found !== undefined ? { found: said.found } : {}),
    ...(p.backup && out.changes.length ? {} : { backup: '' }),
  };
}
