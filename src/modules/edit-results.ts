/** What lineinfile and blockinfile register besides `changed`, in their modules' words (lines.ts and blockinfile.ts edit). */
import { normalizeMode } from './content.ts';
import type { ModuleOutcome } from './types.ts';

/** What the results read of an edit's parameters (lines.ts's and blockinfile.ts's: they import this file). */
interface EditAsked {
  path: string;
  state?: 'present' | 'absent';
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
}

/**
 * What 2.19's lineinfile registers besides `changed`: `msg` as the module words it (its
 * check_file_attrs suffix where the file's mode, owner or group change too), `found` for absent,
 * `backup` empty unless a backup is made (its name, the module's timestamp, is not registered).
 */
export function lineinfileResult(
  p: EditAsked,
  out: ModuleOutcome,
  said: { msg: string; found?: number } | undefined,
  checkMode: boolean,
): Record<string, unknown> {
  if (!said) return { msg: 'file not present' };
  const msg = withAttributesSaid(said.msg, p, out, checkMode);
  return {
    msg,
    ...(said.found !== undefined ? { found: said.found } : {}),
    ...(p.backup && out.changes.length ? {} : { backup: '' }),
  };
}

/** The file was made by the task (it was not there). */
const createdBy = (out: ModuleOutcome) => out.changes.some((c) => c.summary.startsWith('create '));

/**
 * check_file_attrs' suffix where the file's mode, owner or group change too. A file the module
 * makes has the umask's mode and the connection user's ids until set; a check run returns
 * before it looks at a file that was not there.
 */
function withAttributesSaid(msg: string, p: EditAsked, out: ModuleOutcome, checkMode: boolean): string {
  const attrs = createdBy(out)
    ? !checkMode &&
      ((p.mode !== undefined && normalizeMode(p.mode) !== '0644') ||
        (p.owner !== undefined && p.owner !== 'root') ||
        (p.group !== undefined && p.group !== 'root'))
    : out.changes.some((c) => c.action.kind === 'exec' && /^(chmod|chown|chgrp) /.test(c.action.command));
  const suffix = 'ownership, perms or SE linux context changed';
  return attrs ? (msg ? `${msg} and ${suffix}` : suffix) : msg;
}

/** blockinfile's `msg`: File created, Block removed, Block inserted or nothing, and the suffix. */
export function blockinfileResult(
  p: EditAsked & { block?: string },
  out: ModuleOutcome,
  edited: { before: string; after: string } | undefined,
  checkMode: boolean,
): Record<string, unknown> {
  if (!edited) return { msg: `File ${p.path} not present` };
  const said =
    edited.before === edited.after && !createdBy(out)
      ? ''
      : createdBy(out)
        ? 'File created'
        : (p.state ?? 'present') === 'absent' || !p.block
          ? 'Block removed'
          : 'Block inserted';
  return { msg: withAttributesSaid(said, p, out, checkMode) };
}
