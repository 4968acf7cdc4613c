/**
 * `find`: paths under folders whose names match patterns (globs, or regexes with use_regex) and
 * not `excludes`, old or new enough (`age`), big or small enough (`size`) and, with `contains`,
 * whose content matches, as Ansible's find returns them (`files`).
 */
import { globToRegExp } from '../glob.ts';
import { pyRegex } from '../template/jinja/regex.ts';
import { templateWarning } from '../template/template-warnings.ts';
import { sh } from '../transport/shell.ts';
import { type Entry, parseWalk, statinfo, walk, walkCommand } from './find-walk.ts';
import { defineModule, type ProbeContext } from './types.ts';

/** Ansible's contentfilter: the pattern matched at the start of some line, or searched in the whole text. */
function contentMatches(text: string, pattern: string, whole: boolean): boolean {
  const re = pyRegex(pattern, {});
  if (whole) return re.test(text);
  return text.split('\n').some((line) => re.exec(line)?.index === 0);
}

/** SHA1 of each file, in one probe (sha1sum -z: no escaping of odd names, NUL-ended records). */
async function sha1s(ctx: ProbeContext, files: string[]): Promise<Map<string, string>> {
  if (files.length === 0) return new Map();
  const r = await ctx.probe(sh`sha1sum -z -- ${files} 2>/dev/null || true`);
  return new Map(
    r.stdout
      .split('\0')
      .filter(Boolean)
      .map((rec) => [rec.slice(42), rec.slice(0, 40)] as [string, string]),
  );
}

interface FindParams {
  paths: string | string[];
  patterns?: string | string[];
  file_type?: 'file' | 'directory' | 'link' | 'any';
  recurse?: boolean;
  hidden?: boolean;
  use_regex?: boolean;
  /** A Python regex a regular file's content must match: a line's start, or anywhere with read_whole_file. */
  contains?: string;
  read_whole_file?: boolean;
  /** Each regular file's SHA1 as `checksum`. */
  get_checksum?: boolean;
  /** Descend into folders that symlinks point to (os.walk's followlinks); entries are still lstat'ed. */
  follow?: boolean;
  /** Levels to descend into with recurse (0: no limit). */
  depth?: number;
  /** Patterns whose matches are left out (`exclude`). */
  excludes?: string | string[];
  /** At least this old (`2d`, `1w`; negative: at most), by `age_stamp`. */
  age?: string;
  age_stamp?: 'atime' | 'ctime' | 'mtime';
  /** A regular file at least this big (`10m`; negative: at most). */
  size?: string;
}

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const BYTES: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** The module's `-?N[unit]` reading of age and size; undefined when it fails to process it. */
function amount(text: string, units: Record<string, number>): number | undefined {
  const m = new RegExp(`^(-?\\d+)([${Object.keys(units).join('')}])?$`).exec(text.toLowerCase());
  return m ? Number(m[1]) * (units[m[2]] ?? 1) : undefined;
}

/** agefilter and sizefilter: at least |n|, or at most for a negative n. */
const within = (value: number, n: number | undefined) =>
  n === undefined || (n >= 0 ? value >= Math.abs(n) : value <= Math.abs(n));

export const findModule = defineModule<FindParams>({
  name: 'find',
  paramAliases: { path: 'paths', name: 'paths', pattern: 'patterns', exclude: 'excludes' },
  schema: {
    type: 'object',
    properties: {
      paths: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      patterns: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      file_type: { enum: ['file', 'directory', 'link', 'any'] },
      recurse: { type: 'boolean' },
      hidden: { type: 'boolean' },
      use_regex: { type: 'boolean' },
      contains: { type: 'string' },
      read_whole_file: { type: 'boolean' },
      get_checksum: { type: 'boolean' },
      follow: { type: 'boolean' },
      depth: { type: 'integer' },
      excludes: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      age: { type: 'string' },
      age_stamp: { enum: ['atime', 'ctime', 'mtime'] },
      size: { type: 'string' },
    },
    required: ['paths'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const paths = [p.paths].flat().flatMap((x) => x.split(','));
    const age = p.age === undefined ? undefined : amount(p.age, SECONDS);
    if (p.age !== undefined && age === undefined)
      return { changes: [], failed: 'failed to process age', result: { age: p.age }, failedOnInput: true };
    const size = p.size === undefined ? undefined : amount(p.size, BYTES);
    if (p.size !== undefined && size === undefined)
      return { changes: [], failed: 'failed to process size', result: { size: p.size }, failedOnInput: true };
    const recurse = p.recurse === true;
    const fileType = p.file_type ?? 'file';
    const follow = p.follow === true;
    // the host's clock, as the module's time.time(), read with the listing
    const r = await ctx.probe(walkCommand(paths, recurse, p.depth, follow));
    const { now, roots } = parseWalk(r.stdout, follow);
    const list = (v: string | string[] | undefined) =>
      v === undefined ? [] : [v].flat().flatMap((x) => x.split(','));
    const patterns = list(p.patterns);
    const excludes = list(p.excludes);
    // pfilter: fnmatch, or re.match (from the name's start) with use_regex
    const test = (pat: string, name: string) =>
      p.use_regex ? pyRegex(pat, {}).exec(name)?.index === 0 : globToRegExp(pat).test(name);
    const matches = (name: string) =>
      (patterns.length === 0 || patterns.some((pat) => test(pat, name))) &&
      !excludes.some((e) => test(e, name));
    const stamp = p.age_stamp ?? 'mtime';
    const skipped: Record<string, string> = {};
    const warnings: string[] = [];
    let examined = 0;
    const candidates: Entry[] = [];
    for (const root of roots) {
      if (!root.isDir) {
        skipped[root.path] = `'${root.path}' is not a directory`;
        warnings.push(`Skipped '${root.path}' path due to this access issue: ${skipped[root.path]}\n`);
        templateWarning(warnings.at(-1)!);
        continue;
      }
      const { visits, looked } = walk(root, recurse, p.depth, follow);
      examined += looked;
      for (const { entry, name } of visits) {
        if (!p.hidden && name.startsWith('.')) continue;
        const wanted =
          fileType === 'any' ||
          (fileType === 'directory' && entry.type === 'd') ||
          (fileType === 'file' && entry.type === 'f') ||
          (fileType === 'link' && entry.type === 'l');
        // size counts for regular files only (file, or any); contains for `file` only
        const sized = entry.type !== 'f' || fileType === 'directory' || within(entry.size, size);
        if (wanted && matches(name) && within(now - entry[stamp], age) && sized) candidates.push(entry);
      }
    }
    let listed = candidates;
    if (p.contains !== undefined && fileType === 'file') {
      const contents = await Promise.all(listed.map((e) => ctx.probePath(e.path, { content: true })));
      listed = listed.filter((_, i) => {
        const st = contents[i];
        return (
          st.kind === 'file' && contentMatches(st.content ?? '', p.contains!, p.read_whole_file === true)
        );
      });
    }
    const sums = p.get_checksum
      ? await sha1s(
          ctx,
          listed.filter((e) => e.type === 'f').map((e) => e.path),
        )
      : undefined;
    const files = listed.map((e) => ({
      ...statinfo(e),
      ...(sums?.has(e.path) ? { checksum: sums.get(e.path) } : {}),
    }));
    const msg = Object.keys(skipped).length
      ? 'Not all paths examined, check warnings for details'
      : 'All paths examined';
    return {
      changes: [],
      result: {
        files,
        msg,
        matched: files.length,
        examined,
        skipped_paths: skipped,
        ...(warnings.length ? { warnings } : {}),
      },
    };
  },
});
