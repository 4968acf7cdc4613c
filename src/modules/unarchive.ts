/**
 * `unarchive`, as ansible-core 2.19's action plugin and module: an archive on the controller
 * (the role's or play's files/, the default), on the host (`remote_src`) or at a URL (fetched on
 * the host) unpacked into `dest`, an existing folder. A tar archive (gzip, bzip2, xz, zstd or
 * none, told by its first bytes as the module tells it) is unpacked when `tar --diff` in dest
 * says a difference the module counts (unarchive-tar.ts); then `mode`/`owner`/`group` are set on
 * every member and top folder that differs. `creates` that exists skips the task. `list_files`
 * registers the members. The archive is read in one probe (sent once when it is the controller's);
 * a check run predicts where the module skips (it has no check mode for tar). A zip archive is
 * taken on the host or at a URL and counted unpacked when each listed path exists (kinder than
 * the module's zipinfo comparison); extra_opts are refused.
 */
import { sh } from '../transport/shell.ts';
import { attributeChanges, normalizeMode } from './content.ts';
import type { PathState } from './path-batch.ts';
import { type Change, defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';
import {
  listedFiles,
  type TarKind,
  type TarOptions,
  tarArgs,
  tarKind,
  topFolders,
  unarchived,
} from './unarchive-tar.ts';

interface UnarchiveParams {
  src: string;
  dest: string;
  remote_src?: boolean;
  copy?: boolean;
  creates?: string;
  list_files?: boolean;
  keep_newer?: boolean;
  exclude?: string[];
  include?: string[];
  extra_opts?: string[];
  validate_certs?: boolean;
  decrypt?: boolean;
  io_buffer_size?: number;
  mode?: string | number;
  owner?: string;
  group?: string;
}

const isUrl = (src: string) => src.includes('://');
const SEP = '\n==quorum==\n';

/** Where tar reads the archive from: a temporary file the probe fills (stdin or a download), or the host's path. */
function source(p: UnarchiveParams, remote: boolean, validate = true): { fill: string; file: string } {
  if (!remote) return { fill: 'cat > "$t"', file: '"$t"' };
  if (isUrl(p.src)) return { fill: `curl -fsSL${validate ? '' : 'k'} -o "$t" ${sh`${p.src}`}`, file: '"$t"' };
  return { fill: ':', file: sh`${p.src}` };
}

const withTemp = (body: string) => `t=$(mktemp) && trap 'rm -f "$t"' EXIT && ${body}`;

export const unarchiveModule = defineModule<UnarchiveParams>({
  name: 'unarchive',
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      remote_src: { type: 'boolean' },
      copy: { type: 'boolean' },
      creates: { type: 'string' },
      list_files: { type: 'boolean' },
      keep_newer: { type: 'boolean' },
      exclude: { type: 'array', items: { type: 'string' } },
      include: { type: 'array', items: { type: 'string' } },
      extra_opts: { type: 'array', items: { type: 'string' } },
      validate_certs: { type: 'boolean' },
      decrypt: { type: 'boolean' },
      io_buffer_size: { type: 'integer' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  check(p, _readLocal, _listLocal, readLocalBytes) {
    const problems: string[] = [];
    if (p.copy !== undefined && p.remote_src !== undefined)
      problems.push("parameters are mutually exclusive: ('copy', 'remote_src')");
    if (p.exclude?.length && p.include?.length)
      problems.push('parameters are mutually exclusive: include|exclude');
    if (p.extra_opts?.length) problems.push('unarchive: extra_opts is not supported');
    const remote = p.remote_src === true || p.copy === false;
    if (!remote && !p.src.includes('{{')) readLocalBytes?.(p.src, 'files');
    return problems;
  },
  async plan(ctx, p) {
    if (p.creates) {
      const c = await ctx.probePath(p.creates);
      if (c.kind !== 'absent') {
        const msg = `skipped, since ${p.creates} exists`;
        return { changes: [], skipped: msg, result: { msg } };
      }
    }
    const remote = p.remote_src === true || p.copy === false;
    const bytes = remote ? undefined : ctx.readLocalBytes(p.src, 'files');
    const from = source(p, remote, p.validate_certs !== false);
    const opts: TarOptions = {
      dest: p.dest,
      owner: p.owner,
      group: p.group,
      keepNewer: p.keep_newer,
      exclude: (p.exclude ?? []).map((e) => e.replace(/\/+$/, '')),
      include: p.include ?? [],
    };
    // tar tells the compression of a file itself: the probe lists and compares before the handler is known
    const auto: TarKind = { handler: '', flag: '' };
    const dest = sh`${p.dest}`;
    // one read of the archive (sent once when it is the controller's): its head, whether dest is a
    // folder, the probe's user, its size, whether it is there, then tar's listing and diff in dest
    const script = withTemp(
      [
        `${from.fill} || exit 3`,
        `head -c 512 ${from.file} | base64 -w0`,
        `printf '${SEP}'; test -d ${dest} && echo dir`,
        `printf '${SEP}'; id -u`,
        `printf '${SEP}'; wc -c < ${from.file}`,
        `printf '${SEP}'; ${remote && !isUrl(p.src) ? sh`test -e ${p.src} || echo missing` : ':'}`,
        `printf '${SEP}'; if cd ${dest} 2>/dev/null; then ${tarArgs('list', auto, opts, from.file)}; printf '${SEP}%s${SEP}' $?; ${tarArgs('diff', auto, opts, from.file)} 2>&1; fi`,
      ].join('; '),
    );
    const r =
      bytes !== undefined && ctx.probeInput ? await ctx.probeInput(script, bytes) : await ctx.probe(script);
    if (r.code === 3) return { changes: [], failed: `cannot fetch ${p.src}: ${r.stderr.trim()}` };
    const [b64 = '', isDir = '', uid = '', size = '', missing = '', listed = '', listCode = '', diff = ''] =
      r.stdout.split(SEP);
    if (missing.trim() === 'missing') return { changes: [], failed: `Source '${p.src}' does not exist` };
    if (isDir.trim() !== 'dir') return { changes: [], failed: `dest '${p.dest}' must be an existing dir` };
    if (Number(size.trim()) === 0)
      return { changes: [], failed: `Invalid archive '${p.src}', the file is 0 bytes` };
    const head = Buffer.from(b64.trim(), 'base64');
    const kind = tarKind(head);
    if (!kind) return zipPlan(ctx, p, remote, head);
    const files = listedFiles(listed, p.exclude ?? []);
    const result = { handler: kind.handler, dest: p.dest, src: p.src, ...(p.list_files ? { files } : {}) };
    if (listCode.trim() !== '0' || files.length === 0)
      return {
        changes: [],
        failed: `Failed to find handler for "${p.src}". Make sure the required command to extract the file is installed.`,
        result,
      };
    const changes: Change[] = [];
    const done = unarchived(diff.split('\n'), uid.trim() === '0', {
      owner: p.owner,
      group: p.group,
      mode: p.mode,
    });
    if (!done)
      changes.push({
        summary: `unpack ${p.src} into ${p.dest}`,
        action:
          bytes !== undefined
            ? {
                kind: 'exec',
                command: tarArgs('extract', { ...kind, flag: kind.streamFlag ?? kind.flag }, opts, '-'),
                stdin: bytes,
              }
            : {
                kind: 'exec',
                command: withTemp(`${from.fill} && ${tarArgs('extract', kind, opts, from.file)}`),
              },
      });
    changes.push(...(await attributeFixes(ctx, p, [...files, ...topFolders(files)], !done)));
    return { changes, result };
  },
});

/**
 * set_fs_attributes_if_different on every member and top folder: after an unpack, one pass over
 * them all (what tar left is the archive's); else only the paths whose mode, owner or group differ.
 */
async function attributeFixes(
  ctx: ProbeContext,
  p: UnarchiveParams,
  paths: string[],
  unpacking: boolean,
): Promise<Change[]> {
  const mode = normalizeMode(p.mode);
  if (mode === undefined && p.owner === undefined && p.group === undefined) return [];
  const full = paths.map((f) => `${p.dest.replace(/\/$/, '')}/${f.replace(/\/$/, '')}`);
  if (unpacking) {
    const set = [
      ...(p.owner !== undefined ? [sh`chown -h ${p.owner}`] : []),
      ...(p.group !== undefined ? [sh`chgrp -h ${p.group}`] : []),
      ...(mode !== undefined ? [sh`chmod ${mode}`] : []),
    ];
    return [
      {
        summary: `set ${[mode && `mode ${mode}`, p.owner && `owner ${p.owner}`, p.group && `group ${p.group}`].filter(Boolean).join(', ')} on ${paths.length} unpacked path(s)`,
        action: { kind: 'exec', command: set.map((c) => `${c} -- ${sh`${full}`}`).join(' && ') },
      },
    ];
  }
  const r = await ctx.probe(sh`stat -c '%a %U %G %F' -- ${full}`);
  const lines = r.stdout.split('\n');
  return full.flatMap((path, i) => {
    const [m, owner, group, ...type] = (lines[i] ?? '').split(' ');
    if (!m || type.join(' ') === 'symbolic link') return [];
    const kind = type.join(' ') === 'directory' ? 'directory' : 'file';
    const state = { kind, mode: m.padStart(4, '0'), owner, group } as PathState;
    return attributeChanges(path, state, { mode: p.mode, owner: p.owner, group: p.group });
  });
}

/** A zip on the host or at a URL: unpacked with unzip when a listed path is missing under dest. */
async function zipPlan(
  ctx: ProbeContext,
  p: UnarchiveParams,
  remote: boolean,
  head: Buffer,
): Promise<ModuleOutcome> {
  if (head.subarray(0, 4).toString('latin1') !== 'PK\x03\x04')
    return {
      changes: [],
      failed: `Failed to find handler for "${p.src}". Make sure the required command to extract the file is installed.`,
    };
  if (!remote) return { changes: [], failed: 'unarchive: a zip archive on the controller is not supported' };
  const from = source(p, remote, p.validate_certs !== false);
  const dest = sh`${p.dest}`;
  const r = await ctx.probe(
    withTemp(
      `${from.fill} || exit 3; unzip -Z1 ${from.file} | while IFS= read -r f; do [ -e ${dest}/"$f" ] || { echo missing; break; }; done`,
    ),
  );
  if (r.code !== 0)
    return { changes: [], failed: `cannot list ${p.src}: ${r.stderr.trim() || `exit ${r.code}`}` };
  const result = { handler: 'ZipArchive', dest: p.dest, src: p.src };
  if (!r.stdout.includes('missing')) return { changes: [], result };
  const unzip = withTemp(`${from.fill} && unzip -o -q ${from.file} -d ${dest}`);
  return {
    changes: [{ summary: `unpack ${p.src} into ${p.dest}`, action: { kind: 'exec', command: unzip } }],
    result,
  };
}
