/**
 * The state of many paths in one command. Asking for each path on its own costs the host a
 * `stat` and a `base64` process per path, and those process starts were most of a converged
 * run's cost on the hosts. Here one `stat`, one `sha256sum` and one `cat` answer for every
 * path of a batch, whatever its size; the shell's built-in tests sort the paths first, so no
 * process is started for a path that does not need it.
 *
 * The reply is read by counting: a line with one letter per path (A absent, E exists, L link,
 * D dangling link), one NUL-terminated stat record per existing path (a link's record ends
 * with its target), one sha256sum line per regular file asked for its checksum, and last the
 * asked-for regular files' contents, one after another, split by the sizes stat gave. Raw
 * contents are only exact for UTF-8 text (replies are text); a file that is not comes out at
 * another length, and so does a file that changed between stat and cat. `encoding: 'base64'`
 * sends the contents in base64 instead: exact for any file, one process more.
 *
 * A command that fails, or a reply that does not add up, throws; the caller then asks again
 * path by path, in base64, so that only the step whose path cannot be read fails.
 */
import { createHash } from 'node:crypto';
import { sh } from '../transport/shell.ts';
import type { ExecResult } from '../transport/types.ts';

export interface PathWant {
  /** The content of a regular file (not followed through a link). */
  content?: boolean;
  /** The sha256 of a regular file's content. */
  checksum?: boolean;
  /** Its sha1 (stat's checksum unless told otherwise), as `sha1`. */
  sha1?: boolean;
  /** The owner's and group's numeric ids, as `uid` and `gid` (copy's registered result). */
  ids?: boolean;
}

export interface PathRequest extends PathWant {
  path: string;
}

export type ContentEncoding = 'raw' | 'base64';

interface Attrs {
  mode: string;
  owner: string;
  group: string;
  uid?: number;
  gid?: number;
}

export type PathState =
  | { kind: 'absent' }
  | (Attrs & { kind: 'file'; content?: string; checksum?: string; sha1?: string })
  | (Attrs & { kind: 'directory' })
  | (Attrs & { kind: 'link'; target: string; dangling: boolean })
  | (Attrs & { kind: 'other' });

/** Collects into "$@" the paths of `list` that pass `test`, then runs `command` on them if any. */
function onThose(list: string[], test: string, command: string): string {
  if (list.length === 0) return '';
  return `set --; for p in ${sh`${list}`}; do if ${test}; then set -- "$@" "$p"; fi; done; [ $# -eq 0 ] || ${command} || f=1; `;
}

/** Paths whose content the batch reads: their checksum is taken from those bytes, not from sha256sum. */
const readWhole = (requests: PathRequest[]) => new Set(requests.filter((r) => r.content).map((r) => r.path));

export function pathBatchCommand(requests: PathRequest[], encoding: ContentEncoding = 'raw'): string {
  const all = requests.map((r) => r.path);
  const regular = '[ -f "$p" ] && [ ! -L "$p" ]';
  const contents = requests.filter((r) => r.content).map((r) => r.path);
  const read = readWhole(requests);
  return [
    `f=0; for p in ${sh`${all}`}; do if [ -L "$p" ]; then if [ -e "$p" ]; then printf L; else printf D; fi; elif [ -e "$p" ]; then printf E; else printf A; fi; done; echo; `,
    onThose(
      all,
      '[ -e "$p" ] || [ -L "$p" ]',
      `QUOTING_STYLE=literal stat --printf '%F|%a|%U|%G|%s|%u|%g|%N\\0' -- "$@"`,
    ),
    onThose(
      requests.filter((r) => r.checksum && !read.has(r.path)).map((r) => r.path),
      regular,
      'sha256sum -- "$@"',
    ),
    onThose(
      requests.filter((r) => r.sha1 && !read.has(r.path)).map((r) => r.path),
      regular,
      'sha1sum -- "$@"',
    ),
    onThose(contents, regular, encoding === 'raw' ? 'cat -- "$@"' : 'cat -- "$@" | base64 -w0'),
    'echo; exit $f',
  ].join('');
}

interface Row {
  state: PathState;
  size: number;
}

function statRow(record: string, request: PathRequest, code: string): Row {
  const { path } = request;
  const fields = record.split('|');
  const [type, modeRaw, owner, group, size, uid, gid] = fields;
  const name = fields.slice(7).join('|');
  if (name === '' || gid === undefined) throw new Error(`unexpected stat output "${record}"`);
  const ids = request.ids ? { uid: Number(uid), gid: Number(gid) } : {};
  const attrs = { mode: modeRaw.padStart(4, '0'), owner, group, ...ids };
  const state: PathState =
    type === 'directory'
      ? { kind: 'directory', ...attrs }
      : type === 'symbolic link'
        ? { kind: 'link', target: name.slice(`${path} -> `.length), dangling: code === 'D', ...attrs }
        : type.startsWith('regular')
          ? { kind: 'file', ...attrs }
          : { kind: 'other', ...attrs };
  return { state, size: Number(size) };
}

/** The batch's reply, one state per request, in order; throws when it does not add up. */
export function parsePathBatch(
  requests: PathRequest[],
  r: ExecResult,
  encoding: ContentEncoding = 'raw',
): PathState[] {
  const fail = (why: string): never => {
    const detail = r.stderr.trim() || why;
    throw new Error(`cannot stat ${requests.map((q) => q.path).join(', ')}: ${detail}`);
  };
  const text = r.stdout;
  let at = 0;
  const upTo = (end: string) => {
    const to = text.indexOf(end, at);
    if (to < 0) fail('the reply ended early');
    const part = text.slice(at, to);
    at = to + end.length;
    return part;
  };
  const codes = upTo('\n');
  if (codes.length !== requests.length || /[^ALDE]/.test(codes)) fail(`unexpected reply "${codes}"`);
  const rows: Array<Row | undefined> = [...codes].map((c, i) =>
    c === 'A' ? undefined : statRow(upTo('\0'), requests[i], c),
  );
  const regular = (i: number) => rows[i]?.state.kind === 'file';
  const read = readWhole(requests);
  requests.forEach((q, i) => {
    if (!q.checksum || !regular(i) || read.has(q.path)) return;
    const sum = /^\\?([0-9a-f]{64}) /.exec(upTo('\n'));
    if (!sum) fail('unexpected sha256sum output');
    (rows[i]!.state as { checksum?: string }).checksum = sum![1];
  });
  requests.forEach((q, i) => {
    if (!q.sha1 || !regular(i) || read.has(q.path)) return;
    const sum = /^\\?([0-9a-f]{40}) /.exec(upTo('\n'));
    if (!sum) fail('unexpected sha1sum output');
    (rows[i]!.state as { sha1?: string }).sha1 = sum![1];
  });
  const wanted = requests.map((q, i) => (q.content && regular(i) ? i : -1)).filter((i) => i >= 0);
  if (wanted.length) {
    const total = wanted.reduce((n, i) => n + rows[i]!.size, 0);
    const rest = text.slice(at, text.length - 1);
    const bytes = Buffer.from(rest, encoding === 'raw' ? 'utf8' : 'base64');
    // not UTF-8: decoding replaced bytes with U+FFFD, at times keeping the length (F0 9F 98 41)
    if (bytes.length !== total || !text.endsWith('\n') || (encoding === 'raw' && rest.includes('\uFFFD')))
      fail('a file changed while it was read, cannot be read, or is not UTF-8 text');
    let offset = 0;
    const exact = new Map<string, Buffer>();
    for (const i of wanted) {
      const size = rows[i]!.size;
      const own = bytes.subarray(offset, offset + size);
      (rows[i]!.state as { content?: string }).content = own.toString('utf8');
      exact.set(requests[i].path, own);
      offset += size;
    }
    requests.forEach((q, i) => {
      const own = exact.get(q.path);
      if (q.checksum && regular(i) && own)
        (rows[i]!.state as { checksum?: string }).checksum = createHash('sha256').update(own).digest('hex');
      if (q.sha1 && regular(i) && own)
        (rows[i]!.state as { sha1?: string }).sha1 = createHash('sha1').update(own).digest('hex');
    });
  }
  if (r.code !== 0) fail(`exit code ${r.code}`);
  return rows.map((row) => row?.state ?? { kind: 'absent' });
}
