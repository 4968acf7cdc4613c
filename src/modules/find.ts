/**
 * `find`: paths under folders whose names match patterns (globs, or regexes with use_regex) and
 * not `excludes`, old or new enough (`age`), big or small enough (`size`) and, with `contains`,
 * whose content matches, as Ansible's find returns them (`files`).
 */
import { globToRegExp } from '../glob.ts';
import { pyRegex } from '../template/jinja/regex.ts';
import { sh } from '../transport/shell.ts';
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

/** lstat's type (stat's %F) for each file_type. */
const TYPE_NAMES: Record<string, string[] | undefined> = {
  file: ['regular file', 'regular empty file'],
  directory: ['directory'],
  link: ['symbolic link'],
  any: undefined,
};

/**
 * Path, size, mode, owner, group and type of each entry under the paths. Following links
 * (find -L) only to walk: each entry is described by lstat, as the module's os.lstat.
 */
function listing(paths: string[], levels: string[], fileType: string, follow: boolean): string {
  const format = '%p\\t%s\\t%m\\t%u\\t%g\\t%y\\t%A@\\t%C@\\t%T@\\n';
  if (!follow) {
    const type = { file: ['-type', 'f'], directory: ['-type', 'd'], link: ['-type', 'l'], any: [] }[fileType];
    return sh`find ${paths} -mindepth 1 ${levels} ${type ?? []} -printf ${format} 2>/dev/null || true`;
  }
  const names = TYPE_NAMES[fileType];
  const keep = names ? `$6 == "${names.join('" || $6 == "')}"` : '1';
  return `${sh`find -L ${paths} -mindepth 1 ${levels} -print0 2>/dev/null`} | xargs -0r stat --printf '%n\\t%s\\t%a\\t%U\\t%G\\t%F\\t%X\\t%Z\\t%Y\\n' 2>/dev/null | awk -F '\\t' '${keep} { t = $6 ~ /^regular/ ? "f" : $6 == "directory" ? "d" : $6 == "symbolic link" ? "l" : "o"; print $1 "\\t" $2 "\\t" $3 "\\t" $4 "\\t" $5 "\\t" t "\\t" $7 "\\t" $8 "\\t" $9 }' || true`;
}

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
    const levels = p.recurse ? (p.depth ? ['-maxdepth', String(p.depth)] : []) : ['-maxdepth', '1'];
    const fileType = p.file_type ?? 'file';
    // the host's clock, as the module's time.time(), read with the listing
    const r = await ctx.probe(`date +%s.%N; ${listing(paths, levels, fileType, p.follow === true)}`);
    const [clock, ...lines] = r.stdout.split('\n');
    const now = Number(clock);
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
    const stamp = { atime: 6, ctime: 7, mtime: 8 }[p.age_stamp ?? 'mtime'];
    let listed = lines
      .filter(Boolean)
      .map((l) => l.split('\t'))
      .filter((entry) => {
        const path = entry[0];
        const name = path.slice(path.lastIndexOf('/') + 1);
        const sized = entry[5] !== 'f' || within(Number(entry[1]), size);
        return (
          (p.hidden || !name.startsWith('.')) &&
          matches(name) &&
          within(now - Number(entry[stamp]), age) &&
          sized
        );
      });
    if (p.contains !== undefined) {
      const contents = await Promise.all(listed.map(([path]) => ctx.probePath(path, { content: true })));
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
          listed.filter((l) => l[5] === 'f').map((l) => l[0]),
        )
      : undefined;
    const files = listed.map(([path, size, mode, pw_name, gr_name]) => ({
      path,
      size: Number(size),
      mode: mode.padStart(4, '0'),
      pw_name,
      gr_name,
      ...(sums?.has(path) ? { checksum: sums.get(path) } : {}),
    }));
    return { changes: [], result: { files, matched: files.length, examined: files.length } };
  },
});
