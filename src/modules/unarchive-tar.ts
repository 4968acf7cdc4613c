/**
 * How ansible-core 2.19's unarchive module (modules/unarchive.py, TgzArchive and its kin) reads a
 * tar archive: which handler takes it (the archive's own first bytes, not its name), the members
 * it lists (`tar --list`, names escape-decoded, a leading / dropped, `exclude` globs out), and
 * whether it is already unpacked (`tar --diff` in dest, the lines that count as a difference: a
 * mode, owner or group the task sets anyway does not).
 */
import { fnmatchRegExp } from '../inventory/patterns.ts';
import { sh } from '../transport/shell.ts';
import { escapeDecode } from './assemble.ts';

export interface TarKind {
  /** The class name the module registers as `handler`. */
  handler: string;
  /** tar's flag for the compression ('' for none: GNU tar finds it in a file). */
  flag: string;
  /** The flag a pipe needs (tar cannot look ahead in one). */
  streamFlag?: string;
}

/**
 * The tar handler the module would pick, by the archive's first bytes; undefined for a zip or
 * anything else. The module tries TgzArchive (-z), then TarArchive (no flag), whose GNU tar finds
 * bzip2, xz and zstd in a file itself: those are TarArchive too.
 */
export function tarKind(head: Buffer): TarKind | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x1f, 0x8b)) return { handler: 'TgzArchive', flag: '-z' };
  const streamFlag = starts(0x42, 0x5a, 0x68)
    ? '-j'
    : starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)
      ? '-J'
      : starts(0x28, 0xb5, 0x2f, 0xfd)
        ? '--zstd'
        : head.subarray(257, 262).toString('latin1') === 'ustar'
          ? ''
          : undefined;
  return streamFlag === undefined ? undefined : { handler: 'TarArchive', flag: '', streamFlag };
}

export interface TarOptions {
  dest: string;
  owner?: string;
  group?: string;
  keepNewer?: boolean;
  exclude: string[];
  include: string[];
}

/** The options the module gives tar for `--list`, `--diff` and `--extract`, in its order (`file` is shell text). */
export function tarArgs(
  verb: 'list' | 'diff' | 'extract',
  kind: TarKind,
  o: TarOptions,
  file: string,
): string {
  const args = [`--${verb}`, '-C', o.dest];
  if (kind.flag) args.push(kind.flag);
  if (verb !== 'list' && o.owner) args.push(`--owner=${o.owner}`);
  if (verb !== 'list' && o.group) args.push(`--group=${o.group}`);
  if (verb !== 'list' && o.keepNewer) args.push('--keep-newer-files');
  for (const e of o.exclude) args.push(`--exclude=${e}`);
  const quoted = (list: string[]) => list.map((a) => sh`${a}`).join(' ');
  return `LC_ALL=C tar ${quoted(args)} -f ${file}${o.include.length ? ` ${quoted(o.include)}` : ''}`;
}

/** files_in_archive: `tar --list`'s names as the module keeps them. */
export function listedFiles(stdout: string, exclude: string[]): string[] {
  const patterns = exclude.map((e) => fnmatchRegExp(e.replace(/\/+$/, '')));
  return stdout
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => escapeDecode(Buffer.from(l, 'utf8')).toString('utf8'))
    .map((f) => (f.startsWith('/') ? f.slice(1) : f))
    .filter((f) => !patterns.some((re) => re.test(f)));
}

const ALWAYS = [
  /: Mod time differs$/,
  /: Warning: Cannot stat: No such file or directory$/,
  /: Invalid owner/,
  /: Invalid group/,
  /: Symlink differs$/,
  /: Contents differ$/,
  /: Size differs$/,
];

/**
 * is_unarchived: no line of `tar --diff` says a difference that counts. As root, an owner or
 * group differing counts unless the task sets it; a mode differing unless the task sets one.
 */
export function unarchived(
  lines: string[],
  asRoot: boolean,
  sets: { owner?: string; group?: string; mode?: unknown },
): boolean {
  return !lines.some((line) => {
    if (/: : Warning: Cannot stat: No such file or directory$/.test(line)) return false;
    if (asRoot && !sets.owner && /: Uid differs$/.test(line)) return true;
    if (asRoot && !sets.group && /: Gid differs$/.test(line)) return true;
    if (sets.mode === undefined && /: Mode differs$/.test(line)) return true;
    return ALWAYS.some((re) => re.test(line));
  });
}

/** The folders at the top of the members' paths (the module sets their attributes too). */
export function topFolders(files: string[]): string[] {
  return [...new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))];
}
