/**
 * `{% include %}`, `{% import %}`, `{% from ... import %}` and `{% extends %}` in template files.
 * The engine runs them among templates added to it by name; this module finds which files a
 * template names (literal names only: they are read before the render, and validate checks them),
 * and reads the closure of them through the caller's loader, as Ansible's FileSystemLoader
 * searches (the template's search path, see template-loader.ts).
 *
 * Jinja2's context rules decide what each file sees: an include and an extends see the
 * includer's variables, an import sees them only `with context` (without it, only globals:
 * checked against ansible-core 2.19). minijinja passes the context always, so a file imported
 * without context is rewritten against no variables (engine.ts): every name it does not bind
 * itself is undefined there, as in Jinja2.
 */
import { JinjaError } from './jinja-error.ts';
import type { Block, Tok } from './scan.ts';

export type RefKind = 'include' | 'import' | 'from' | 'extends';

export interface TemplateRef {
  kind: RefKind;
  /** The names in the order tried (an include of a list takes the first that exists). */
  names: string[];
  /** The file sees the includer's variables. */
  context: boolean;
  offset: number;
  /** The string tokens of the names. */
  toks: Tok[];
}

export interface RefProblem {
  message: string;
  offset: number;
}

const KINDS = new Set<string>(['include', 'import', 'from', 'extends']);

/** Where the name expression ends: the keyword after it, by statement. */
const ENDS: Record<RefKind, string[]> = {
  include: ['ignore', 'with', 'without'],
  import: ['as'],
  from: ['import'],
  extends: [],
};

function literal(t: Tok | undefined): string | undefined {
  return t?.k === 'str' && !t.v.includes('\\') ? t.v : undefined;
}

/** The names of `toks` (a literal, or for include a list of literals), or undefined. */
function namesOf(toks: Tok[], kind: RefKind): string[] | undefined {
  if (toks.length === 1) {
    const one = literal(toks[0]);
    return one === undefined ? undefined : [one];
  }
  if (kind !== 'include' || toks[0]?.v !== '[' || toks.at(-1)?.v !== ']') return undefined;
  const names: string[] = [];
  for (let i = 1; i < toks.length - 1; i += 2) {
    const name = literal(toks[i]);
    const sep = toks[i + 1];
    if (name === undefined || (sep.v !== ',' && sep.v !== ']')) return undefined;
    names.push(name);
  }
  return names;
}

/** The files a template's blocks name, or the first it names by an expression. */
export function templateRefs(blocks: Block[]): TemplateRef[] | RefProblem {
  const refs: TemplateRef[] = [];
  for (const b of blocks) {
    const [first, ...rest] = b.toks;
    if (b.kind !== 'stmt' || !first || first.k !== 'name' || !KINDS.has(first.v)) continue;
    const kind = first.v as RefKind;
    const end = rest.findIndex((t, i) => t.k === 'name' && ENDS[kind].includes(t.v) && i > 0);
    const nameToks = end < 0 ? rest : rest.slice(0, end);
    const names = namesOf(nameToks, kind);
    if (!names)
      return {
        message: `{% ${kind} %} of a template named by an expression: quorum reads the files a template ${kind}s before the run, so it takes a name written as a string ('file.j2'${kind === 'include' ? ", or a list of them: ['a.j2', 'b.j2']" : ''})`,
        offset: (nameToks[0] ?? first).start,
      };
    const words = b.toks.map((t) => t.v).join(' ');
    const context = words.endsWith('without context')
      ? false
      : words.endsWith('with context') || kind === 'include' || kind === 'extends';
    refs.push({ kind, names, context, offset: first.start, toks: nameToks.filter((t) => t.k === 'str') });
  }
  return refs;
}

/**
 * The name the engine knows a file by: a file read without the render's variables is another
 * template than the same file read with them (its names are rewritten otherwise).
 */
export function engineName(name: string, context: boolean): string {
  return context ? name : `__quorum_without_context/${name}`;
}

/**
 * `source` (a file that sees the render's variables or not: `context`) with each file it names
 * without them spelled by the name the engine knows that one by.
 */
export function aliasedSource(source: string, blocks: Block[], context: boolean): string {
  const refs = templateRefs(blocks);
  if (!Array.isArray(refs)) return source;
  const edits = refs
    .filter((r) => !(context && r.context))
    .flatMap((r) => r.toks)
    .sort((a, b) => b.start - a.start);
  let out = source;
  for (const t of edits)
    out = out.slice(0, t.start) + JSON.stringify(engineName(t.v, false)) + out.slice(t.end);
  return out;
}

/** A template file read for a render. */
export interface ImportedFile {
  /** The name the engine knows it by (engineName). */
  name: string;
  text: string;
  /** Where it was found (for messages). */
  file: string;
  /** It sees the variables of the render (every file between it and the main one passed them). */
  context: boolean;
}

export type TemplateLoader = ((name: string) => { text: string; file: string } | undefined) & {
  /** The folders searched, in order, as Jinja2's FileSystemLoader takes them (for ansible-render.ts). */
  searchPath?: string[];
};

/**
 * The files `blocks` name and the files those name, read through `load`; `blocksOf` scans a read
 * file (undefined: it names nothing). `strict`: a name built by an expression is an error (the
 * engine's render); otherwise such a statement names nothing (ansible-core's templar reads it).
 */
export function filesNamed(
  blocks: Block[],
  load: TemplateLoader,
  blocksOf: (text: string) => Block[] | undefined,
  strict: boolean,
): ImportedFile[] {
  const refs = (b: Block[] | undefined) => {
    const found = b ? templateRefs(b) : [];
    if (Array.isArray(found)) return found;
    if (strict) throw new JinjaError(found.message);
    return [];
  };
  const own = refs(blocks);
  return own.length ? importClosure(own, load, (f) => refs(blocksOf(f.text))) : [];
}

/** Bounds against a chain of files that names itself through other names. */
const MAX_FILES = 200;

/**
 * Every file reachable from `refs` through `load`: names not found are left out (the engine
 * fails where such a statement runs, unless `ignore missing`, as Jinja2 does). `refsOf` gives a
 * loaded file's own references (its text scanned as the engine will run it).
 */
export function importClosure(
  refs: TemplateRef[],
  load: TemplateLoader,
  refsOf: (file: ImportedFile) => TemplateRef[],
): ImportedFile[] {
  const files = new Map<string, ImportedFile>();
  const queue: Array<{ ref: TemplateRef; context: boolean }> = refs.map((ref) => ({ ref, context: true }));
  for (let i = 0; i < queue.length; i++) {
    const { ref, context } = queue[i];
    const sees = context && ref.context;
    for (const name of ref.names) {
      if (files.has(engineName(name, sees))) break;
      const found = load(name);
      if (!found) continue;
      if (files.size >= MAX_FILES)
        throw new JinjaError(
          `templates import more than ${MAX_FILES} files (a chain of names that never ends?)`,
        );
      const file = { name: engineName(name, sees), text: found.text, file: found.file, context: sees };
      files.set(file.name, file);
      for (const r of refsOf(file)) queue.push({ ref: r, context: sees });
      break;
    }
  }
  return [...files.values()];
}

/**
 * A name as Jinja2's FileSystemLoader takes it (split_template_path, Jinja2 3.1): parts split at
 * `/`, empty and `.` parts dropped (so `/x.j2` is `x.j2` under each folder of the search path);
 * a `..` part is never found.
 */
export function loaderPath(name: string): string | undefined {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '..') return undefined;
    if (part && part !== '.') parts.push(part);
  }
  return parts.length ? parts.join('/') : undefined;
}
