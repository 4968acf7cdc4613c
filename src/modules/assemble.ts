/**
 * `assemble`: a file made of a folder's fragments, as ansible-core 2.19's module and action plugin
 * make it (modules/assemble.py assemble_from_fragments): the folder's regular files in sorted
 * order (code points), `regexp` searched in each name, dot-files left out with `ignore_hidden`;
 * a newline after a fragment that does not end with one; `delimiter` (Python escapes decoded)
 * between fragments, followed by a newline when it does not end with one. `remote_src` (the
 * default) reads the fragments on the host in one probe; `remote_src: false` takes them from the
 * role's or play's files/. The result is written as copy writes a file, only when its bytes differ.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { pyRegex } from '../template/jinja/regex.ts';
import { sh } from '../transport/shell.ts';
import { bytesChanges, comparedAsText, contentChanges } from './content.ts';
import { pathInfo, pathInfoCommand } from './path-info.ts';
import { type Change, defineModule, type ProbeContext } from './types.ts';

interface AssembleParams {
  src: string;
  dest: string;
  delimiter?: string;
  remote_src?: boolean;
  regexp?: string;
  ignore_hidden?: boolean;
  validate?: string;
  backup?: boolean;
  decrypt?: boolean;
  follow?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
}

const ESCAPES: Record<string, number> = {
  '\\': 92,
  "'": 39,
  '"': 34,
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
};

/** codecs.escape_decode: Python's byte-string escapes decoded; an unknown escape keeps its backslash. */
export function escapeDecode(bytes: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c !== 92 || i + 1 >= bytes.length) {
      out.push(c);
      continue;
    }
    const next = String.fromCharCode(bytes[i + 1]);
    const octal = /^[0-7]{1,3}/.exec(bytes.subarray(i + 1, i + 4).toString('latin1'));
    const hex = /^x([0-9a-fA-F]{2})/.exec(bytes.subarray(i + 1, i + 4).toString('latin1'));
    if (next === '\n') i += 1;
    else if (ESCAPES[next] !== undefined) {
      out.push(ESCAPES[next]);
      i += 1;
    } else if (octal) {
      out.push(Number.parseInt(octal[0], 8) & 0xff);
      i += octal[0].length;
    } else if (hex) {
      out.push(Number.parseInt(hex[1], 16));
      i += 3;
    } else if (next === 'x') throw new Error(`invalid \\x escape at position ${i}`);
    else out.push(c);
  }
  return Buffer.from(out);
}

/** The fragments joined as assemble_from_fragments joins them (the delimiter decoded again at each use, as there). */
export function assembled(fragments: Buffer[], delimiter?: string): Buffer {
  const parts: Buffer[] = [];
  let delim: Buffer | undefined = delimiter ? Buffer.from(delimiter) : undefined;
  let addNewline = false;
  fragments.forEach((fragment, i) => {
    if (addNewline) parts.push(Buffer.from('\n'));
    if (i > 0 && delim) {
      delim = escapeDecode(delim);
      parts.push(delim);
      if (delim[delim.length - 1] !== 10) parts.push(Buffer.from('\n'));
    }
    parts.push(fragment);
    addNewline = !(fragment.length > 0 && fragment[fragment.length - 1] === 10);
  });
  return Buffer.concat(parts);
}

/** Python's sorted() of names: by code point (UTF-16 order differs only past the BMP, as here). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The folder on the host, read in one probe: each entry's name and, for a regular file (links followed), its bytes. */
async function hostFragments(
  ctx: ProbeContext,
  src: string,
  dest: string,
): Promise<{ failed: string } | { names: Map<string, Buffer | undefined>; info: string }> {
  const r = await ctx.probe(
    `s=${sh`${src}`}; [ -e "$s" ] || { echo nosrc; exit 0; }; [ -d "$s" ] || { echo notdir; exit 0; }; ` +
      `for f in "$s"/* "$s"/.*; do n=\${f##*/}; { [ "$n" = . ] || [ "$n" = .. ]; } && continue; ` +
      `[ -e "$f" ] || [ -L "$f" ] || continue; nb=$(printf %s "$n" | base64 -w0); ` +
      `if [ -f "$f" ]; then c=$(base64 -w0 < "$f") || { echo "unreadable $nb"; continue; }; echo "f $nb $c"; ` +
      `else echo "o $nb"; fi; done; ${pathInfoCommand(sh`${dest}`)}`,
  );
  if (r.code !== 0) return { failed: `cannot read ${src}: ${r.stderr.trim()}` };
  const lines = r.stdout.split('\n');
  if (lines[0] === 'nosrc') return { failed: `Source (${src}) does not exist` };
  if (lines[0] === 'notdir') return { failed: `Source (${src}) is not a directory` };
  const names = new Map<string, Buffer | undefined>();
  for (const line of lines) {
    const [kind, name, content] = line.split(' ');
    const decoded = name === undefined ? '' : Buffer.from(name, 'base64').toString('utf8');
    if (kind === 'unreadable') return { failed: `cannot read ${posix.join(src, decoded)}` };
    if (kind === 'f') names.set(decoded, Buffer.from(content ?? '', 'base64'));
    else if (kind === 'o') names.set(decoded, undefined);
  }
  return { names, info: r.stdout };
}

/** The controller folder's top-level regular files (vault files decrypted, as the action plugin reads them). */
function localFragments(
  ctx: ProbeContext,
  src: string,
): { failed: string } | { names: Map<string, Buffer | undefined> } {
  const tree = ctx.listLocal?.(src, 'files');
  if (!tree) return { failed: `Source (${src}) is not a directory` };
  const names = new Map<string, Buffer | undefined>();
  for (const rel of tree.keys()) {
    const top = rel.split('/')[0];
    if (rel.endsWith('/') || rel.includes('/')) names.set(top, undefined);
    else names.set(rel, ctx.readLocalBytes(posix.join(src, rel), 'files'));
  }
  return { names };
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

export const assembleModule = defineModule<AssembleParams>({
  name: 'assemble',
  schema: {
    type: 'object',
    properties: {
      src: { type: 'string', minLength: 1 },
      dest: { type: 'string', minLength: 1 },
      delimiter: { type: 'string' },
      remote_src: { type: 'boolean' },
      regexp: { type: 'string' },
      ignore_hidden: { type: 'boolean' },
      validate: { type: 'string' },
      backup: { type: 'boolean' },
      decrypt: { type: 'boolean', const: true },
      follow: { type: 'boolean' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
    },
    required: ['src', 'dest'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const remote = p.remote_src !== false;
    let filter: RegExp | undefined;
    if (p.regexp !== undefined) {
      try {
        filter = pyRegex(p.regexp, {});
      } catch (e) {
        return {
          changes: [],
          failed: `Invalid Regexp (${(e as Error).message}) in "${p.regexp}"`,
          failedOnInput: true,
        };
      }
    }
    if (p.validate !== undefined && !p.validate.includes('%s'))
      return { changes: [], failed: `validate must contain %s: ${p.validate}`, failedOnInput: true };
    const read = remote ? await hostFragments(ctx, p.src, p.dest) : localFragments(ctx, p.src);
    if ('failed' in read) return { changes: [], failed: read.failed };
    const fragments = [...read.names.keys()]
      .sort(byCodePoint)
      .filter((n) => !filter || filter.test(n))
      .filter((n) => !(p.ignore_hidden && n.startsWith('.')))
      .map((n) => read.names.get(n))
      .filter((b): b is Buffer => b !== undefined);
    const bytes = assembled(fragments, p.delimiter);
    const text = comparedAsText(bytes);
    const dest = await ctx.probePath(p.dest, text ? { content: true } : { checksum: true });
    if (dest.kind === 'link' || dest.kind === 'directory' || dest.kind === 'other')
      return {
        changes: [],
        failed: `${p.dest} is a ${dest.kind === 'other' ? 'special file' : dest.kind}, not a regular file`,
      };
    const attrs = {
      mode: p.mode,
      owner: p.owner,
      group: p.group,
      backup: p.backup,
      validate: p.validate,
      parents: false,
    };
    const changes: Change[] = text
      ? contentChanges(p.dest, dest, bytes.toString('utf8'), attrs)
      : bytesChanges(p.dest, dest, bytes, attrs);
    // what registers: the module's result on the host; from the controller, copy's (the action
    // plugin hands its temporary file to copy, whose own temporary src quorum leaves out)
    const sums = { checksum: sha1(bytes), md5sum: md5(bytes) };
    const before = 'info' in read ? String(read.info) : '';
    const result = remote
      ? { src: p.src, msg: 'OK', dest: p.dest, ...sums, ...pathInfo(before) }
      : changes.length === 0
        ? { dest: p.dest, ...sums, ...pathInfo((await ctx.probe(pathInfoCommand(sh`${p.dest}`))).stdout) }
        : { dest: p.dest, ...sums };
    if (changes.length === 0) return { changes, result };
    return {
      changes,
      result,
      waits: [{ kind: 'exec', command: pathInfoCommand(sh`${p.dest}`) }],
      outputResult: { keys: [], from: pathInfo },
    };
  },
});
