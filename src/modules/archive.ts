/**
 * community.general's `archive` (ansible 12.0.0, plugins/modules/archive.py): `path` (globs in
 * the last component), `dest`, `format` gz / bz2 / xz / tar, `exclude_path`,
 * `exclusion_patterns`, `force_archive`, `remove`, `mode`/`owner`/`group`; registers `archived`,
 * `dest`, `dest_state`, `arcroot`, `missing`, `expanded_paths`, `expanded_exclude_paths` as the
 * module does. Several sources, a folder or a glob make a tar archive of the members the module
 * would add (archive-members.ts), written with GNU tar in the same order; one file is compressed
 * on its own. The module rewrites the archive on every run and reports a change when its members'
 * checksums differ; quorum compares the same headers first and writes only then, so its check run
 * is exact (the module's check mode calls every multi-file archive changed). `zip` is refused.
 */
import { fnmatchRegExp } from '../inventory/patterns.ts';
import { sh } from '../transport/shell.ts';
import {
  commonPath,
  FIND_FORMAT,
  type Found,
  type Member,
  parseFound,
  parseListing,
  plannedMembers,
  sameMembers,
} from './archive-members.ts';
import { attributeChanges, setAll } from './content.ts';
import { type Change, defineModule, type ProbeContext } from './types.ts';

interface ArchiveParams {
  path: string | string[];
  dest?: string;
  format?: 'gz' | 'bz2' | 'xz' | 'tar' | 'zip';
  exclude_path?: string | string[];
  exclusion_patterns?: string | string[];
  force_archive?: boolean;
  remove?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
}

const TAR_FLAG = { gz: 'z', bz2: 'j', xz: 'J', tar: '' } as const;
const COMPRESSOR = { gz: 'gzip', bz2: 'bzip2', xz: 'xz' } as const;
const MAGIC = /[*?]/;
const list = (v: string | string[] | undefined) => (v === undefined ? [] : [v].flat());
const isArchiveName = (p: string) =>
  /\.(tar|tar\.(gz|bz2|xz)|tgz|tbz2|zip)$/i.test(p.slice(p.lastIndexOf('/') + 1));

/** glob.glob of each path with * or ? (its folder's entries in their order, hidden ones only for a dotted pattern). */
async function expand(ctx: ProbeContext, paths: string[]): Promise<{ paths: string[]; globby: boolean }> {
  const globs = paths.filter((p) => MAGIC.test(p));
  if (globs.length === 0) return { paths, globby: false };
  const dirs = globs.map((g) => g.slice(0, g.lastIndexOf('/')) || '/');
  const r = await ctx.probe(
    dirs
      .map((d) => sh`find ${d} -mindepth 1 -maxdepth 1 -printf '%f\\0' 2>/dev/null; printf '/\\0'`)
      .join('; '),
  );
  const listed = r.stdout.split('/\0');
  const out: string[] = [];
  for (const p of paths) {
    const at = globs.indexOf(p);
    if (at < 0) {
      out.push(p);
      continue;
    }
    const base = p.slice(p.lastIndexOf('/') + 1);
    const re = fnmatchRegExp(base);
    const names = (listed[at] ?? '').split('\0').filter(Boolean);
    for (const n of names)
      if (re.test(n) && (base.startsWith('.') || !n.startsWith('.')))
        out.push(`${dirs[at].replace(/\/$/, '')}/${n}`);
  }
  return { paths: out, globby: true };
}

/** Each path: `=M` (missing) or `=T` and its tree as find lists it; then whether the first is a folder. */
async function survey(
  ctx: ProbeContext,
  paths: string[],
): Promise<{ byPath: Array<Found[] | undefined>; missing: string[]; firstIsDir: boolean }> {
  const script = paths
    .map(
      (p) =>
        sh`if [ -e ${p} ] || [ -L ${p} ]; then printf '=T\\0'; find ${p} -printf ${FIND_FORMAT}; else printf '=M\\0'; fi`,
    )
    .join('; ');
  const r = await ctx.probe(`${script}; if [ -d ${sh`${paths[0]}`} ]; then printf '=D\\0'; fi`);
  const fields = r.stdout.split('\0');
  const byPath: Array<Found[] | undefined> = [];
  let i = 0;
  for (const _ of paths) {
    if (fields[i++] === '=M') {
      byPath.push(undefined);
      continue;
    }
    const start = i;
    while (i < fields.length && !fields[i].startsWith('=') && fields[i] !== '') i += 11;
    byPath.push(parseFound(`${fields.slice(start, i).join('\0')}\0`));
  }
  const missing = paths.filter((_, at) => byPath[at] === undefined);
  return { byPath, missing, firstIsDir: fields[i] === '=D' };
}

export const archiveModule = defineModule<ArchiveParams>({
  name: 'archive',
  aliases: ['community.general.archive'],
  schema: {
    type: 'object',
    properties: {
      path: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', items: { type: 'string' } },
        ],
      },
      dest: { type: 'string', minLength: 1 },
      format: { enum: ['gz', 'bz2', 'xz', 'tar', 'zip'] },
      exclude_path: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      exclusion_patterns: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      force_archive: { type: 'boolean' },
      remove: { type: 'boolean' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  check(p) {
    const problems: string[] = [];
    if (p.format === 'zip')
      problems.push('archive: format zip is not supported by quorum (gz, bz2, xz, tar)');
    for (const path of [...list(p.path), ...list(p.exclude_path), ...(p.dest ? [p.dest] : [])]) {
      if (path.includes('{{')) continue;
      if (!path.startsWith('/')) problems.push(`archive: ${path}: quorum takes absolute paths only`);
      else if (MAGIC.test(path.slice(0, path.lastIndexOf('/'))))
        problems.push(`archive: ${path}: a glob in a folder's name is not supported (only in the last part)`);
    }
    return problems;
  },
  async plan(ctx, p) {
    const format = p.format ?? 'gz';
    if (format === 'zip') return { changes: [], failed: 'archive: format zip is not supported by quorum' };
    const given = list(p.path);
    const expanded = await expand(ctx, given);
    const excludedPaths = (await expand(ctx, list(p.exclude_path))).paths;
    const paths = [...new Set(expanded.paths.filter((x) => !excludedPaths.includes(x)))].sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    const reported = { expanded_paths: expanded.paths, expanded_exclude_paths: excludedPaths };
    if (paths.length === 0)
      return {
        changes: [],
        failed: 'Error, no source paths were found',
        result: {
          path: given.join(', '),
          expanded_paths: expanded.paths.join(', '),
          expanded_exclude_paths: excludedPaths.join(', '),
        },
      };
    const root = commonPath(paths);
    const { byPath, missing, firstIsDir } = await survey(ctx, paths);
    const trees = byPath.filter((t): t is Found[] => t !== undefined);
    const isDir = (at: number) => byPath[at]?.[0]?.type === 'd';
    const mustArchive = p.force_archive === true || expanded.globby || firstIsDir || paths.length > 1;
    const dest = p.dest ?? (mustArchive ? undefined : `${paths[0]}.${format}`);
    if (dest === undefined)
      return {
        changes: [],
        failed: 'Error, must specify "dest" when archiving multiple files or trees',
        // to_native(None), as the module reports it
        result: { dest: 'None', path: given.join(', ') },
      };
    if (
      p.remove &&
      paths.some((x, i) => trees[i]?.[0]?.type === 'd' && dest.startsWith(`${x.replace(/\/$/, '')}/`))
    )
      return {
        changes: [],
        failed: 'Error, created archive can not be contained in source paths when remove=true',
        result: { path: paths.join(', ') },
      };
    const state = await ctx.probePath(dest);
    const result = { dest, arcroot: root, missing, ...reported };
    const patterns = list(p.exclusion_patterns).map((x) => fnmatchRegExp(x));
    const attrs = { mode: p.mode, owner: p.owner, group: p.group };
    const attributes = (created: boolean): Change[] =>
      created ? setAll(dest, attrs) : attributeChanges(dest, state, attrs);
    if (trees.length === 0) {
      const destState = state.kind === 'absent' ? 'absent' : isArchiveName(dest) ? 'archive' : 'compress';
      return { changes: attributes(false), result: { ...result, archived: [], dest_state: destState } };
    }
    const tarred = mustArchive || format === 'tar';
    const members = tarred
      ? plannedMembers(mustArchive ? trees : [trees[0].slice(0, 1)], root, (n) =>
          patterns.some((re) => re.test(n)),
        )
      : [];
    const archived = tarred ? members.map((m) => m.path as string) : [paths[0]];
    const destState = !tarred ? 'compress' : missing.length > 0 ? 'incomplete' : 'archive';
    const same =
      state.kind === 'absent' ? false : await unchanged(ctx, dest, format, tarred, members, paths[0]);
    const changes: Change[] = [];
    if (!same)
      changes.push({
        summary: `${state.kind === 'absent' ? 'create' : 'rewrite'} ${dest} (${tarred ? `${members.length} members` : `${paths[0]} compressed`})`,
        action: tarred
          ? {
              kind: 'exec',
              command: sh`tar -C ${root} -c${TAR_FLAG[format]}f ${dest} --null --no-recursion -T -`,
              stdin: members.map((m) => `${m.name}\0`).join(''),
            }
          : { kind: 'exec', command: sh`${COMPRESSOR[format as 'gz']} -c -- ${paths[0]}` + sh` > ${dest}` },
      });
    changes.push(...attributes(state.kind === 'absent'));
    if (p.remove) {
      const gone = [...archived, ...paths.filter((_, at) => isDir(at))];
      changes.push({
        summary: `remove the ${gone.length} archived source(s)`,
        action: { kind: 'exec', command: sh`rm -rf -- ${gone}` },
      });
    }
    return { changes, result: { ...result, archived, dest_state: destState } };
  },
});

/** The archive there has the members it would be written with (or the compressed file the source's bytes). */
async function unchanged(
  ctx: ProbeContext,
  dest: string,
  format: keyof typeof TAR_FLAG,
  tarred: boolean,
  members: Member[],
  source: string,
): Promise<boolean> {
  if (tarred) {
    const r = await ctx.probe(
      `TZ=UTC tar -tv --numeric-owner --full-time -${TAR_FLAG[format]}f ${sh`${dest}`}`,
    );
    const there = r.code === 0 ? parseListing(r.stdout) : undefined;
    return there !== undefined && sameMembers(there, members);
  }
  const r = await ctx.probe(
    `${COMPRESSOR[format as 'gz']} -dc -- ${sh`${dest}`} | sha256sum && sha256sum < ${sh`${source}`}`,
  );
  const [a, b] = r.stdout.split('\n');
  return r.code === 0 && a !== undefined && a.split(' ')[0] === b?.split(' ')[0];
}
