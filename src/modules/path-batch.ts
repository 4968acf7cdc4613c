/**
 * The state of many paths in one command. Asking for each path on its own costs the host a
 * `stat` and a `base64` process per path, and those forks were most of a converged run's
 * cost on the hosts. Here one `stat`, one `readlink`, one `sha256sum` and one `cat | base64`
 * answer for every path of a batch, whatever its size; the shell's built-in tests sort the
 * paths first, so no process is started for a path that does not need it.
 *
 * The reply is read by counting: the first line has one letter per path (A absent, E exists,
 * L link, D dangling link), then one stat line per existing path, one readlink line per link,
 * one sha256sum line per regular file asked for its checksum, and last the asked-for regular
 * files' contents, concatenated and in base64, split by the sizes stat gave. A command that
 * fails, or a reply that does not add up (a path changed between two of these commands, a file
 * that cannot be read), throws, and the caller asks again path by path.
 */
import { sh } from '../transport/shell.ts';
import type { ExecResult } from '../transport/types.ts';

export interface PathWant {
  /** The content of a regular file (not followed through a link). */
  content?: boolean;
  /** The sha256 of a regular file's content. */
  checksum?: boolean;
}

export interface PathRequest extends PathWant {
  path: string;
}

interface Attrs {
  mode: string;
  owner: string;
  group: string;
}

export type PathState =
  | { kind: 'absent' }
  | (Attrs & { kind: 'file'; content?: string; checksum?: string })
  | (Attrs & { kind: 'directory' })
  | (Attrs & { kind: 'link'; target: string; dangling: boolean })
  | (Attrs & { kind: 'other' });

/** Collects into "$@" the paths of `list` that pass `test`, then runs `command` on them if any. */
function onThose(list: string[], test: string, command: string): string {
  if (list.length === 0) return '';
  return `set --; for p in ${sh`${list}`}; do if ${test}; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || ${command} || f=1; `;
}

export function pathBatchCommand(requests: PathRequest[]): string {
  const all = requests.map((r) => r.path);
  const regular = '[ -f "$p" ] && [ ! -L "$p" ]';
  return [
    `f=0; for p in ${sh`${all}`}; do if [ -L "$p" ]; then if [ -e "$p" ]; then printf L; else printf D; fi; elif [ -e "$p" ]; then printf E; else printf A; fi; done; echo; `,
    onThose(all, '[ -e "$p" ] || [ -L "$p" ]', `stat -c '%F|%a|%U|%G|%s' -- "$@"`),
    onThose(all, '[ -L "$p" ]', 'readlink -- "$@"'),
    onThose(
      requests.filter((r) => r.checksum).map((r) => r.path),
      regular,
      'sha256sum -- "$@"',
    ),
    onThose(
      requests.filter((r) => r.content).map((r) => r.path),
      regular,
      'cat -- "$@" | base64 -w0',
    ),
    'echo; exit $f',
  ].join('');
}

interface Row {
  state: PathState;
  size: number;
}

function statRow(line: string, code: string): Row {
  const [type, modeRaw, owner, group, size] = line.split('|');
  if (size === undefined) throw new Error(`unexpected stat output "${line}"`);
  const attrs = { mode: modeRaw.padStart(4, '0'), owner, group };
  const state: PathState =
    type === 'directory'
      ? { kind: 'directory', ...attrs }
      : type === 'symbolic link'
        ? { kind: 'link', target: '', dangling: code === 'D', ...attrs }
        : type.startsWith('regular')
          ? { kind: 'file', ...attrs }
          : { kind: 'other', ...attrs };
  return { state, size: Number(size) };
}

/** The batch's reply, one state per request, in order; throws when it does not add up. */
export function parsePathBatch(requests: PathRequest[], r: ExecResult): PathState[] {
  const fail = (why: string): never => {
    const detail = r.stderr.trim() || why;
    throw new Error(`cannot stat ${requests.map((q) => q.path).join(', ')}: ${detail}`);
  };
  const lines = r.stdout.split('\n');
  let at = 0;
  const next = () => (at < lines.length ? lines[at++] : fail('the reply ended early'));
  const codes = next();
  if (codes.length !== requests.length || /[^ALDE]/.test(codes)) fail(`unexpected reply "${codes}"`);
  const rows: Array<Row | undefined> = [...codes].map((c) => (c === 'A' ? undefined : statRow(next(), c)));
  for (const row of rows) if (row?.state.kind === 'link') row.state.target = next();
  const regular = (i: number) => rows[i]?.state.kind === 'file';
  requests.forEach((q, i) => {
    if (!q.checksum || !regular(i)) return;
    const sum = /^\\?([0-9a-f]{64}) /.exec(next());
    if (!sum) fail('unexpected sha256sum output');
    (rows[i]!.state as { checksum?: string }).checksum = sum![1];
  });
  const wanted = requests.map((q, i) => (q.content && regular(i) ? i : -1)).filter((i) => i >= 0);
  if (wanted.length) {
    const bytes = Buffer.from(next(), 'base64');
    const total = wanted.reduce((n, i) => n + rows[i]!.size, 0);
    if (bytes.length !== total) fail('a file changed while it was read, or cannot be read');
    let offset = 0;
    for (const i of wanted) {
      const size = rows[i]!.size;
      (rows[i]!.state as { content?: string }).content = bytes
        .subarray(offset, offset + size)
        .toString('utf8');
      offset += size;
    }
  }
  if (r.code !== 0) fail(`exit code ${r.code}`);
  return rows.map((row) => row?.state ?? { kind: 'absent' });
}
