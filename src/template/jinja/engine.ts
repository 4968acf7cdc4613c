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

import { createRequire } from 'node:module';
import type { Environment } from 'minijinja-js';
import { deriveSecret } from '../secret-taint.ts';
import { UNKNOWN_SENTINEL } from '../unknown.ts';
import { NONE_MARKER } from './default-none.ts';
import { dig, elementOf } from './element-of.ts';
import { FILTERS } from './filters.ts';
import { JinjaError, JinjaUndefined } from './jinja-error.ts';
import { JINJA2_FILTERS } from './jinja2-filters.ts';
import { lookup, lookupScope, setLookupScope, setTemplateRenderer } from './lookups.ts';
import { withoutMutations } from './mutations.ts';
import { PY_STR_MACRO } from './py-str-edits.ts';
import { rewrite, UNDEFINED_RESULT } from './rewrite.ts';
import { type Block, scan } from './scan.ts';
import { withTemplatedValues } from './templated-values.ts';
import { TESTS } from './tests.ts';
import { nowGlobal } from './time-filters.ts';
import { fromEngine, pyStr, toEngine } from './values.ts';

export { setValueRenderer } from './templated-values.ts';
export { JinjaError, JinjaUndefined };

/** Ansible's `omit`: a parameter whose value is this is left out. */
export const OMIT = '__omit_place_holder__quorum__';

let env: Environment | undefined;
let pending: Error | undefined;
let captured: unknown;
/** What a text template printed: how many `{{ }}`, and the last one's value and text. */
let printed = { count: 0, value: undefined as unknown, text: '' };
/** The engine's own text of the captured value (2.0 for a float two). */
let capturedText = '';

function guard<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => R | string {
  return (...a: A) => {
    try {
      return f(...a);
    } catch (e) {
      pending ??= e instanceof Error ? e : new Error(String(e));
      return '';
    }
  };
}

/** An engine for a render inside a render (lookup('template')): the running one is borrowed. */
let spare: Environment | undefined;

/**
 * f on an engine of its own, the running render's state put back after it: the engine cannot be
 * entered again while it renders (minijinja-js panics), and the render's captured values and
 * lookup scope are this module's.
 */
function nested<T>(f: () => T): T {
  const saved = { env, pending, captured, printed, capturedText, scope: lookupScope() };
  env = spare;
  // taken: a render inside this one needs an engine of its own again
  spare = undefined;
  try {
    return f();
  } finally {
    spare = env;
    ({ env, pending, captured, printed, capturedText } = saved);
    setLookupScope(saved.scope);
  }
}

function engine(): Environment {
  if (env) return env;
  const { Environment } = createRequire(import.meta.url)('minijinja-js') as typeof import('minijinja-js');
  const e = new Environment();
  e.enablePyCompat();
  e.undefinedBehavior = 'strict';
  // Ansible's template settings: trim_blocks on; trailing newlines as renderText says
  e.trimBlocks = true;
  e.keepTrailingNewline = false;
  e.fuel = 50_000_000;
  for (const [name, f] of Object.entries({ ...FILTERS, ...JINJA2_FILTERS }))
    e.addFilter(
      name,
      guard((v: unknown, ...a: unknown[]) => f(fromEngine(v), ...a.map(fromEngine))),
    );
  for (const [name, t] of Object.entries(TESTS))
    e.addTest(
      name,
      guard((v: unknown, ...a: unknown[]) => t(fromEngine(v), ...a.map(fromEngine))),
    );
  e.addFilter(
    '__quorum_str',
    // Ansible's finalize: None prints as nothing inside text ("x={{ none }}" is "x=")
    guard((v: unknown, text: unknown) => {
      const value = v === undefined ? null : fromEngine(v);
      const out =
        value === null ? '' : typeof v === 'number' || typeof v === 'bigint' ? String(text) : pyStr(value);
      printed = { count: printed.count + 1, value, text: out };
      return out;
    }),
  );
  // Python's str() of a `~` operand or a `string` filter's value (py-str-edits.ts)
  e.addFilter(
    '__quorum_pystr',
    guard((v: unknown, text: unknown) => {
      const value = v === undefined ? null : fromEngine(v);
      return typeof v === 'number' || typeof v === 'bigint' ? String(text) : pyStr(value);
    }),
  );
  e.addFilter(
    '__quorum_none',
    guard((v: unknown) => (v === NONE_MARKER ? null : fromEngine(v))),
  );
  e.addFilter(
    '__quorum_taint',
    guard((text: unknown) => {
      deriveSecret(String(text));
      return text;
    }),
  );
  e.addFilter(
    '__quorum_cap',
    guard((v: unknown, text: unknown) => {
      capturedText = String(text);
      refuseHuge(capturedText.length);
      captured = fromEngine(v);
      return '';
    }),
  );
  e.addGlobal(
    '__quorum_missing',
    guard((path: unknown) => {
      throw new JinjaUndefined(String(path));
    }),
  );
  // an index or attribute of a computed value, as Jinja takes it, failing as Ansible does where
  // it is not there (chains.ts)
  e.addFilter(
    '__quorum_at',
    guard((v: unknown, key: unknown) => elementOf(fromEngine(v), fromEngine(key))),
  );
  // a step of a guarded chain (guarded-chains.ts): past a missing key, UNREACHED
  e.addFilter(
    '__quorum_dig',
    guard((v: unknown, key: unknown) => dig(fromEngine(v), fromEngine(key))),
  );
  // an index or key that is not there gives Jinja's Undefined, which Ansible refuses to print
  e.addGlobal(
    '__quorum_undefined_result',
    guard(() => {
      throw new JinjaError(
        'the expression gives an undefined value (an index, key or attribute that does not exist)',
      );
    }),
  );
  e.addGlobal('omit', OMIT);
  e.addGlobal(
    'now',
    guard((...args: unknown[]) => nowGlobal(...args.map(fromEngine))),
  );
  const lookupFn = (wantList: boolean) =>
    guard((name: unknown, ...terms: unknown[]) => lookup(String(name), terms.map(fromEngine), wantList));
  e.addGlobal('lookup', lookupFn(false));
  e.addGlobal('query', lookupFn(true));
  e.addGlobal('q', lookupFn(true));
  setTemplateRenderer((text, vars) => nested(() => renderText(text, vars).text));
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

/** Characters one template may produce (Ansible has no bound; `'a' * 10**9` filled memory). */
export const MAX_TEMPLATE_CHARS = 64 * 1024 * 1024;

function refuseHuge(length: number): void {
  if (length > MAX_TEMPLATE_CHARS)
    throw new JinjaError(
      `the result is ${Number.isFinite(length) ? `${(length / (1024 * 1024)).toFixed(0)} MiB of text` : 'longer than a JavaScript string can be'}, more than quorum's limit of ${MAX_TEMPLATE_CHARS / (1024 * 1024)} MiB for one template`,
    );
}

/** py-str-edits.ts's macro, on the template's first line (its lines keep their numbers). */
const PY_STR = `{% macro ${PY_STR_MACRO}(v) %}{{ v|__quorum_pystr(v|string) }}{% endmacro %}`;

function run(template: string, ctx: Record<string, unknown>): string {
  pending = undefined;
  let out: string;
  try {
    out = engine().renderStr(template.includes(`${PY_STR_MACRO}(`) ? PY_STR + template : template, ctx);
  } catch (e) {
    if (pending) throw pending;
    const message = String((e as Error).message ?? e);
    // past V8's longest string: the engine made it, the text cannot be handed over
    if (e instanceof RangeError && message.startsWith('Invalid string length'))
      refuseHuge(Number.POSITIVE_INFINITY);
    if (/^Cannot create a string longer than/.test(message)) refuseHuge(Number.POSITIVE_INFINITY);
    // a panic leaves the instance unusable: the next call starts a new one
    if (/unreachable|recursive use|RuntimeError/.test(message)) env = undefined;
    const first = message.split('\n')[0];
    const line = /\(in <string>:(\d+)\)/.exec(first);
    throw new JinjaError(first.replace(/ \(in <string>:\d+\)$/, ''), line ? Number(line[1]) : undefined);
  }
  if (pending) throw pending;
  refuseHuge(out.length);
  return out;
}

interface Prepared {
  source: string;
  ctx: Record<string, unknown>;
  unknown: boolean;
  tainted: boolean;
}

function prepare(
  given: string,
  vars: Record<string, unknown>,
  expression: boolean,
  print?: string,
  rawStrings = false,
): Prepared {
  const source = expression ? given : withoutMutations(given);
  const blocks = scanned(source, expression);
  let scope = /\bvars\b/.test(source) && !('vars' in vars) ? { ...vars, vars } : vars;
  scope = withTemplatedValues(scope, blocks);
  const r = rewrite(source, blocks, scope, print, rawStrings);
  const ctx: Record<string, unknown> = { __quorum_unknown: UNKNOWN_SENTINEL };
  for (const h of r.heads) ctx[h] = toEngine(scope[h]);
  for (const [name, value] of r.computed) ctx[name] = toEngine(value);
  setLookupScope(vars);
  return { source: r.source, ctx, unknown: r.touchesUnknown, tainted: r.tainted };
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
}

export interface TextResult {
  text: string;
  unknown: boolean;
  /**
   * The template's one output, when it printed one `{{ }}` and nothing else (ansible-core
   * 2.19 gives that value with its type: `{% if a %}{{ n }}{% endif %}` is the number n), or
   * `{ value: null }` when it printed nothing at all.
   */
  native?: { value: unknown };
}

export function renderText(
  source: string,
  vars: Record<string, unknown>,
  options: TextOptions = {},
): TextResult {
  const p = prepare(source, vars, false, '__quorum_str', options.rawStrings);
  const e = engine();
  e.trimBlocks = options.trimBlocks ?? true;
  e.lstripBlocks = options.lstripBlocks ?? false;
  let text: string;
  printed = { count: 0, value: undefined, text: '' };
  try {
    text = run(p.source, p.ctx);
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
    printed.count === 1 && text === printed.text
      ? { value: printed.value }
      : printed.count === 0 && text === ''
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
  captured = undefined;
  run(
    `{% set __quorum_v = (${p.source}) %}${UNDEFINED_RESULT}{{ __quorum_v|__quorum_cap(__quorum_v|string) }}`,
    p.ctx,
  );
  if (p.tainted) deriveSecretsOf(captured, capturedText);
  return { value: captured, text: capturedText, unknown: p.unknown };
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
  captured = undefined;
  run(
    `{% set __quorum_v = (${p.source}) %}${UNDEFINED_RESULT}{{ __quorum_v|__quorum_cap(__quorum_v|string) }}`,
    p.ctx,
  );
  return { value: captured, unknown: p.unknown };
}

/** Parse only, for validate: throws a JinjaError with the line of a syntax error. */
export function compileCheck(source: string, expression: boolean): void {
  const e = engine();
  const text = expression ? `{{ ${source} }}` : source;
  pending = undefined;
  try {
    e.addTemplate('__check', text);
    e.removeTemplate('__check');
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    const line = /\(in __check:(\d+)\)/.exec(first);
    throw new JinjaError(first.replace(/ \(in __check:\d+\)$/, ''), line ? Number(line[1]) : undefined);
  }
}
