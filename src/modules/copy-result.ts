/**
 * What copy and template register for the file they manage, as 2.19's copy action plugin and
 * module return it: `dest`, the content's sha1 `checksum`, `diff` (empty: the diff is shown,
 * not registered), and the file's add_path_info fields (uid, gid, owner, group, mode, state,
 * size). A write adds its `md5sum`; a file left as it was (or only its attributes set) is also
 * its `path`. Unchanged, the fields come from the probe that compared the file; after a change
 * they are read again from the host (readAfter), known after apply in a check run. Not
 * registered: `src`, Ansible's temporary copy on the host.
 */
import { createHash } from 'node:crypto';
import { sh } from '../transport/shell.ts';
import type { PathState } from './path-batch.ts';
import { pathInfo, pathInfoCommand } from './path-info.ts';
import type { Change, ModuleOutcome } from './types.ts';

const digest = (algorithm: string, bytes: Buffer | string) =>
  createHash(algorithm).update(bytes).digest('hex');

/** add_path_info's mode: '0%03o'. */
const pathInfoMode = (mode: string) => `0${Number.parseInt(mode, 8).toString(8).padStart(3, '0')}`;

export function copyResult(
  dest: string,
  content: Buffer | string,
  before: PathState,
  changes: Change[],
): Pick<ModuleOutcome, 'changes' | 'result' | 'readAfter'> {
  const size = Buffer.byteLength(content);
  const common = { checksum: digest('sha1', content), dest, diff: [] };
  if (changes.length === 0 && before.kind === 'file')
    return {
      changes,
      result: {
        ...common,
        uid: before.uid,
        gid: before.gid,
        owner: before.owner,
        group: before.group,
        mode: pathInfoMode(before.mode),
        path: dest,
        size,
        state: 'file',
      },
    };
  const written = changes.some((c) => c.action.kind === 'write');
  return {
    changes,
    result: written ? { ...common, md5sum: digest('md5', content) } : { ...common, path: dest },
    readAfter: {
      command: pathInfoCommand(sh`${dest}`),
      keys: ['uid', 'gid', 'owner', 'group', 'mode', 'state', 'size'],
      from: pathInfo,
    },
  };
}
