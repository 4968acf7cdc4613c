/**
 * Jinja2 for Ansible content, run by minijinja (Jinja's author's implementation, compiled to
 * WASM, sandboxed, with a fuel limit against runaway templates). Ansible's semantics on top:
 * its undefined rules (rewrite.ts), its filters and tests, Python's printing of values, and
 * values known only after apply.
 *
 * Two rules of the boundary, both learned the hard way: a JS callback must never throw (the
 * WASM instance panics and is poisoned), so callbacks record their error and the call raises
 * it afterwards; and results leave through a capture filter, since the engine's own result
 * conversion fails on integers (BigInt) and turns none into undefined.
 */

import type { Environment } from 'minijinja-js';
import { deriveSecret } from '../secret-taint.ts';
import { UNKNOWN_SENTINEL } from '../unknown.ts';
import { needsAnsible, renderWithAnsible } from './ansible-render.ts';
import { addPluginFilters, createEnvironment } from './environment.ts';
import { ControllerStateError, FilterError } from './filter-error.ts';
import { JinjaError, JinjaUndefined } from './jinja-error.ts';
import { lookupScope, setLookupScope, setTemplateRenderer } from './lookups.ts';
import { withoutMutations } from './mutations.ts';
import { PY_STR_MACRO } from './py-str-edits.ts';
import { refuseHuge, state } from './render-state.ts';
import { boundNames, isPathHead, rewrite, UNDEFINED_RESULT } from './rewrite.ts';
import { asciiSpaces, type Block, ScanError, scan } from './scan.ts';
import { aliasedSource, filesNamed, type ImportedFile, type TemplateLoader } from './template-imports.ts';
import { magicVars, setNesting, withTemplatedValues } from './templated-values.ts';
import { toEngine } from './values.ts';

export { OMIT } from './environment.ts';
export { MAX_TEMPLATE_CHARS } from './render-state.ts';
export { setValueRenderer } from './templated-values.ts';
export { JinjaError, JinjaUndefined };

let env: Environment | undefined;
/** An engine for a render inside a render (lookup('template')): the running one is borrowed. */
let spare: Environment | undefined;

/**
 * f on an engine of its own, the running render's state put back after it: the engine cannot be
 * entered again while it renders (minijinja-js panics), and the render's captured values and
 * lookup scope are this module's.
 */
function nested<T>(f: () => T): T {
  const saved = { env, render: { ...state }, scope: lookupScope() };
  env = spare;
  // taken: a render inside this one needs an engine of its own again
  spare = undefined;
  try {
    return f();
  } finally {
    spare = env;
    env = saved.env;
    Object.assign(state, saved.render);
    setLookupScope(saved.scope);
  }
}

setNesting(nested);

function engine(): Environment {
  if (env) {
    addPluginFilters(env);
    return env;
  }
  const e = createEnvironment();
  setTemplateRenderer((text, vars, load) => nested(() => renderText(text, vars, { load }).text));
  env = e;
  return e;
}

const scans = new Map<string, Block[]>();
function scanned(source: string, expression: boolean): Block[] {
  const key = (expression ? 'e:' : 't:') + source;
  let blocks = scans.get(key);
  if (!blocks) {
    blocks = scan(source, expression);
    if (scans.size > 5000) scans.clear();
    scans.set(key, blocks);
  }
  return blocks;
}

/** py-str-edits.ts's macro, on the template's first line (its lines keep their numbers). */
const PY_STR = `{% macro ${PY_STR_MACRO}(v) %}{{ v|__quorum_pystr(v|string) }}{% endmacro %}`;

const withPyStr = (template: string) =>
  template.includes(`${PY_STR_MACRO}(`) ? PY_STR + template : template;

/** The engine's named templates made exactly `templates` (a render's includes, nothing of another's). */
const namedTemplates = new WeakMap<Environment, Map<string, string>>();
function useTemplates(e: Environment, templates: Map<string, string>): void {
  const now = namedTemplates.get(e) ?? new Map<string, string>();
  if (now.size === 0 && templates.size === 0) return;
  for (const name of now.keys()) if (!templates.has(name)) e.removeTemplate(name);
  for (const [name, source] of templates) if (now.get(name) !== source) e.addTemplate(name, source);
  namedTemplates.set(e, new Map(templates));
}

function run(template: string, ctx: Record<string, unknown>, templates = new Map<string, string>()): string {
  state.pending = undefined;
  let out: string;
  try {
    const e = engine();
    useTemplates(e, templates);
    out = e.renderStr(withPyStr(template), ctx);
  } catch (e) {
    if (state.pending) throw state.pending;
    const message = String((e as Error).message ?? e);
    // past V8's longest string: the engine made it, the text cannot be handed over
    if (e instanceof RangeError && message.startsWith('Invalid string length'))
      refuseHuge(Number.POSITIVE_INFINITY);
    if (/^Cannot create a string longer than/.test(message)) refuseHuge(Number.POSITIVE_INFINITY);
    // a panic leaves the instance unusable: the next call starts a new one
    if (/unreachable|recursive use|RuntimeError/.test(message)) env = undefined;
    const first = message.split('\n')[0];
    const place = / \(in (.+):(\d+)\)$/.exec(first);
    if (place && place[1] !== '<string>')
      throw new JinjaError(`${first.slice(0, place.index)} (in template "${place[1]}", line ${place[2]})`);
    throw new JinjaError(first.slice(0, place?.index), place ? Number(place[2]) : undefined);
  }
  if (state.pending) throw state.pending;
  refuseHuge(out.length);
  return out;
}

/**
 * run, where the template reads a value known after apply (check mode): a failure there may be
 * the stand-in's (a loop over its text, a key of it), so the result is known after apply too,
 * as a template of it that succeeds is. undefined for that.
 */
function runUnlessUnknown(p: Prepared, template: string): string | undefined {
  if (!p.unknown) return run(template, p.ctx, p.templates);
  try {
    return run(template, p.ctx, p.templates);
  } catch (e) {
    if (e instanceof ControllerStateError || !(e instanceof JinjaError || e instanceof FilterError)) throw e;
    return undefined;
  }
}

/** A template that hands the expression's value to `state.captured` (with its text). */
const captured = (source: string) =>
  `{% set __quorum_v = (${source}) %}${UNDEFINED_RESULT}{{ __quorum_v|__quorum_cap(__quorum_v|string) }}`;

interface Prepared {
  source: string;
  ctx: Record<string, unknown>;
  unknown: boolean;
  tainted: boolean;
  /** The files it includes or imports, as the engine runs them (template-imports.ts). */
  templates: Map<string, string>;
}

/** A template file another one names: its text as the engine runs it, and its blocks. */
function importedSource(file: ImportedFile): { source: string; blocks: Block[] } {
  const own = withoutMutations(file.text);
  const source = aliasedSource(own, scanned(own, false), file.context);
  return { source, blocks: scanned(source, false) };
}

function prepare(
  given: string,
  vars: Record<string, unknown>,
  expression: boolean,
  print?: string,
  rawStrings = false,
  load?: TemplateLoader,
): Prepared {
  let source = expression ? given : withoutMutations(given);
  let blocks = scanned(source, expression);
  const files = load ? filesNamed(blocks, load, (text) => scanned(withoutMutations(text), false), true) : [];
  if (files.length) {
    source = aliasedSource(source, blocks, true);
    blocks = scanned(source, false);
  }
  const spaced = asciiSpaces(source, blocks);
  const parts = files.map((f) => ({ file: f, ...importedSource(f) }));
  const seen = [blocks, ...parts.filter((p) => p.file.context).map((p) => p.blocks)].flat();
  // `vars` named as a variable (not the text 'vars' of lookup('vars', x), which renders only x)
  const namesVars =
    !('vars' in vars) && seen.some((b) => b.toks.some((t, i) => t.v === 'vars' && isPathHead(b.toks, i)));
  let scope = namesVars ? { ...vars, vars: magicVars(vars) } : vars;
  scope = withTemplatedValues(scope, seen);
  const r = rewrite(spaced, blocks, scope, print, rawStrings);
  const ctx: Record<string, unknown> = { __quorum_unknown: UNKNOWN_SENTINEL };
  state.orders = new Map();
  for (const h of r.heads) ctx[h] = toEngine(scope[h]);
  for (const [name, value] of r.computed) ctx[name] = toEngine(value);
  let { touchesUnknown: unknown, tainted } = r;
  const templates = new Map<string, string>();
  // the names a file's includers bind are the engine's inside it, as they are in its includers
  const bound = [...boundNames(seen)];
  for (const [n, p] of parts.entries()) {
    const own = rewrite(
      asciiSpaces(p.source, p.blocks),
      p.blocks,
      p.file.context ? scope : {},
      print,
      false,
      {
        bound: p.file.context ? bound : [],
        prefix: `f${n}_`,
      },
    );
    for (const h of own.heads) ctx[h] ??= toEngine(scope[h]);
    for (const [name, value] of own.computed) ctx[name] = toEngine(value);
    unknown ||= own.touchesUnknown;
    tainted ||= own.tainted;
    templates.set(p.file.name, withPyStr(own.source));
  }
  setLookupScope(vars);
  return { source: r.source, ctx, unknown, tainted, templates };
}

export function trailingNewlines(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\n') n++;
  return n;
}

/** A whole template's text (a .j2 file, or a string with text around its {{ }}). */
export interface TextOptions {
  /** Jinja's trim_blocks (Ansible's default: on) and lstrip_blocks (off). */
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  /**
   * Ansible's escape_backslashes, on for a template written in YAML (task arguments, vars), off
   * for template files and conditions: a string literal in {{ }} is its text as written.
   */
  rawStrings?: boolean;
  /** Finds the files the template includes or imports (a template file's search path). */
  load?: TemplateLoader;
}

export interface TextResult {
  text: string;
  unknown: boolean;
  /**
   * The template's one output, when it state.printed one `{{ }}` and nothing else (ansible-core
   * 2.19 gives that value with its type: `{% if a %}{{ n }}{% endif %}` is the number n), or
   * `{ value: null }` when it state.printed nothing at all.
   */
  native?: { value: unknown };
}

export function renderText(
  source: string,
  vars: Record<string, unknown>,
  options: TextOptions = {},
): TextResult {
  // a template file with an in-place call the engine cannot run: ansible-core's templar renders it
  if (options.load && needsAnsible(source, options.load)) return renderWithAnsible(source, vars, options);
  const p = prepare(source, vars, false, '__quorum_str', options.rawStrings, options.load);
  const e = engine();
  e.trimBlocks = options.trimBlocks ?? true;
  e.lstripBlocks = options.lstripBlocks ?? false;
  let text: string;
  state.printed = { count: 0, value: undefined, text: '' };
  try {
    const out = runUnlessUnknown(p, p.source);
    if (out === undefined) return { text: UNKNOWN_SENTINEL, unknown: true };
    text = out;
  } finally {
    const after = env;
    if (after) {
      after.trimBlocks = true;
      after.lstripBlocks = false;
    }
  }
  // Ansible renders without the last newline, then gives back as many as the source ended with
  const missing = trailingNewlines(source) - trailingNewlines(text);
  const native =
    state.printed.count === 1 && text === state.printed.text
      ? { value: state.printed.value }
      : state.printed.count === 0 && text === ''
        ? { value: null }
        : undefined;
  return { text: missing > 0 ? text + '\n'.repeat(missing) : text, unknown: p.unknown, native };
}

/** One expression's value, with its type (a list stays a list). */
export function evalValue(
  expr: string,
  vars: Record<string, unknown>,
  /** escape_backslashes (TextOptions.rawStrings) */
  rawStrings = false,
): { value: unknown; text: string; unknown: boolean } {
  const p = prepare(expr, vars, true, undefined, rawStrings);
  state.captured = undefined;
  const template = captured(p.source);
  if (runUnlessUnknown(p, template) === undefined)
    return { value: UNKNOWN_SENTINEL, text: UNKNOWN_SENTINEL, unknown: true };
  if (p.tainted) deriveSecretsOf(state.captured, state.capturedText);
  return { value: state.captured, text: state.capturedText, unknown: p.unknown };
}

/** An expression's value computed from a secret: its text and every string in it are secrets. */
function deriveSecretsOf(value: unknown, text: string): void {
  if (typeof value === 'boolean' || typeof value === 'number' || value === null) return;
  deriveSecret(text);
  if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') deriveSecret(v);
}

/**
 * A condition's value (when, changed_when, failed_when, until, assert's that), as Python's
 * `and`/`or` give it: `a and b` is b's value. ansible-core 2.19 wants a boolean (expr.ts).
 */
export function evalCondition(
  expr: string,
  vars: Record<string, unknown>,
): { value: unknown; unknown: boolean } {
  const p = prepare(expr, vars, true);
  state.captured = undefined;
  const template = captured(p.source);
  if (runUnlessUnknown(p, template) === undefined) return { value: undefined, unknown: true };
  return { value: state.captured, unknown: p.unknown };
}

/** Parse only, for validate: throws a JinjaError with the line of a syntax error. */
export function compileCheck(source: string, expression: boolean): void {
  const e = engine();
  let text = expression ? `{{ ${source} }}` : source;
  try {
    text = asciiSpaces(text, scan(text, false));
  } catch (e) {
    if (!(e instanceof ScanError)) throw e; // the engine says what is wrong
  }
  state.pending = undefined;
  try {
    e.addTemplate('__check', text);
    e.removeTemplate('__check');
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    const line = /\(in __check:(\d+)\)/.exec(first);
    throw new JinjaError(first.replace(/ \(in __check:\d+\)$/, ''), line ? Number(line[1]) : undefined);
  }
}
