/**
 * Ansible's undefined semantics on top of minijinja's strict mode. Ansible lets `a.b.c is
 * defined` and `a.b | default(x)` look through a missing `a`, and makes every other use of an
 * undefined value an error that names it (`a == 1` included, which minijinja calls false).
 * Each variable path in the source is resolved here against the host's vars and rewritten:
 *
 * - resolves: left alone, and its head is passed to the engine;
 * - missing and guarded (is defined / is undefined / default): a name that is never defined;
 * - missing and used: `__quorum_missing('a.b')`, which fails only if evaluated (so `a is defined
 *   and a.b` still short-circuits);
 * - reaches a value known only after apply: `__quorum_unknown`, and the result is a prediction.
 *
 * Names a template binds itself (for, set, macro, import) and block names are left to the engine.
 */

import { GLOBALS } from '../engine-globals.ts';
import { isSecretValue } from '../secret-taint.ts';
import { containsUnknown, isUnknown } from '../unknown.ts';
import { isUnsafe } from '../unsafe.ts';
import { computedAccessEdits, type Edit, guarded } from './chains.ts';
import { datetimeEdits } from './datetime-edits.ts';
import { defaultNoneEdits } from './default-none.ts';
import { forOrderEdits, iterationOrderEdits } from './dict-iteration-edits.ts';
import { dictOrderEdits, methodOrderEdits, uncutPairs } from './dict-order-edits.ts';
import { guardedChainEdits } from './guarded-chains.ts';
import { macroNames, markerEnd, markerStop } from './marker-chains.ts';
import { mathEdits } from './math-edits.ts';
import { orderedUse } from './ordered.ts';
import { formatEdits } from './py-format-edits.ts';
import { pyStrEdits } from './py-str-edits.ts';
import { engineLiteral } from './py-string-literal.ts';
import { pythonText } from './py-text.ts';
import { type Block, isOp, type Tok } from './scan.ts';
import { unpackEdits } from './set-unpack.ts';
import { digitAttributeEdits, namedByShortName } from './spelling-edits.ts';
import { nowEdits } from './time-edits.ts';
import { pyStr } from './values.ts';

const KEYWORDS = new Set(
  'and or not in is if else elif endif for endfor set endset macro endmacro call endcall filter endfilter raw endraw with endwith without context import include from as recursive true false none True False None block endblock extends loop super self varargs kwargs caller do continue break autoescape endautoescape'.split(
    ' ',
  ),
);

export const NEVER_DEFINED = '__quorum_undefined';
/** After `set __quorum_v = (...)`: an Undefined result is an error, never printed as nothing. */
export const UNDEFINED_RESULT =
  '{% if __quorum_v is undefined %}{{ __quorum_undefined_result() }}{% endif %}';

export interface Rewritten {
  source: string;
  /** Top-level variables the source reads that exist. */
  heads: Set<string>;
  /** Values computed here (see ordered.ts), by the names that stand for them in `source`. */
  computed: Map<string, unknown>;
  /** A path reached a value known only after apply. */
  touchesUnknown: boolean;
  /** A path reached a secret (secret-taint.ts): what this source computes is one too. */
  tainted: boolean;
}

/** Names a template binds itself: loop and set targets, macros and their arguments, imports, block names. */
export function boundNames(blocks: Block[]): Set<string> {
  const bound = new Set<string>();
  for (const b of blocks) {
    if (b.kind !== 'stmt') continue;
    const [first, ...rest] = b.toks;
    if (first?.v === 'for') {
      for (const t of rest) {
        if (t.v === 'in') break;
        if (t.k === 'name') bound.add(t.v);
      }
    } else if (first?.v === 'set') {
      // the names before `=` (`set a, b = ...`); after it, an expression that reads variables
      for (let i = 0; i < rest.length && rest[i].v !== '='; i++)
        if (rest[i].k === 'name') bound.add(rest[i].v);
    } else if (first?.v === 'with') {
      for (let i = 0; i < rest.length; i++)
        if (rest[i].k === 'name' && rest[i + 1]?.v === '=' && (i === 0 || rest[i - 1].v === ','))
          bound.add(rest[i].v);
    } else if (['block', 'endblock', 'filter'].includes(first?.v) && rest[0]?.k === 'name') {
      // a block's name and a filter section's filter are names, not variables
      bound.add(rest[0].v);
    } else if (first?.v === 'import' || first?.v === 'from') {
      const names = rest.findIndex((t) => t.v === (first.v === 'import' ? 'as' : 'import'));
      for (const t of names < 0 ? [] : rest.slice(names + 1))
        if (t.k === 'name' && t.v !== 'as') bound.add(t.v);
    } else if (first?.v === 'macro') {
      for (let i = 0; i < rest.length; i++)
        if (rest[i].k === 'name' && (i === 0 || ['(', ','].includes(rest[i - 1].v))) bound.add(rest[i].v);
    }
  }
  return bound;
}

/** Where a variable path starts in a token list: a name that is not an attribute, filter, test or keyword argument. */
export function isPathHead(toks: Tok[], i: number): boolean {
  const t = toks[i];
  if (t.k !== 'name' || KEYWORDS.has(t.v) || t.v.startsWith('__quorum_')) return false;
  const prev = toks[i - 1];
  if (isOp(prev, '.') || isOp(prev, '|')) return false;
  if (prev?.v === 'is' || (prev?.v === 'not' && toks[i - 2]?.v === 'is')) return false;
  if (isOp(toks[i + 1], '=')) return false;
  // `{% include 'x.j2' ignore missing %}`: words of the statement
  if (toks[0].v === 'include' && (t.v === 'ignore' ? toks[i + 1]?.v === 'missing' : prev?.v === 'ignore'))
    return false;
  return true;
}

/** The tokens of a path `a.b[0]['c']` from its head: literal segments only. */
function pathOf(toks: Tok[], i: number): { segments: Array<string | number>; last: number } {
  const segments: Array<string | number> = [];
  let j = i;
  for (;;) {
    const dot = toks[j + 1];
    const next = toks[j + 2];
    if (isOp(dot, '.') && next && (next.k === 'name' || next.k === 'num')) {
      segments.push(next.k === 'num' ? Number(next.v) : next.v);
      j += 2;
    } else if (isOp(dot, '[') && next && (next.k === 'str' || next.k === 'num') && isOp(toks[j + 3], ']')) {
      segments.push(next.k === 'num' ? Number(next.v) : next.v);
      j += 3;
    } else break;
  }
  // `a.b.split(':')` reads `a.b` and calls a method on it
  if (isOp(toks[j + 1], '(') && segments.length > 0 && isOp(toks[j - 1], '.')) {
    segments.pop();
    j -= 2;
  }
  return { segments, last: j };
}

/**
 * `x | default(y)` with `y` missing and `x` a path that resolves: Jinja passes `y` as an
 * Undefined that is never used, so it is no error in Ansible. True when the missing path at
 * `head..last` is such a `y` (with `default(y, true)`, only if `x` is truthy).
 */
function unusedDefault(
  toks: Tok[],
  head: number,
  last: number,
  primary?: { r: Resolution; value?: unknown },
): boolean {
  if (
    !isOp(toks[head - 1], '(') ||
    !['default', 'd'].includes(toks[head - 2]?.v) ||
    !isOp(toks[head - 3], '|')
  )
    return false;
  if (!primary || typeof primary.r === 'number') return false;
  if (isOp(toks[last + 1], ')')) return true;
  const falsy = (v: unknown) =>
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    (typeof v === 'object' && Object.keys(v).length === 0);
  return isOp(toks[last + 1], ',') && primary.r === 'ok' && !falsy(primary.value);
}

/** 'ok', 'unknown', or how many path parts (head included) resolve before the first missing one. */
type Resolution = 'ok' | 'unknown' | number;
function walk(
  vars: Record<string, unknown>,
  head: string,
  segments: Array<string | number>,
): { r: Resolution; value?: unknown } {
  if (!(head in vars)) return { r: 0 };
  let v: unknown = vars[head];
  for (const [i, s] of segments.entries()) {
    if (isUnknown(v)) return { r: 'unknown' };
    if (Array.isArray(v)) {
      const n = typeof s === 'number' ? s : Number.NaN;
      if (!Number.isInteger(n) || n >= v.length || n < -v.length) return { r: i + 1 };
      v = v[n < 0 ? v.length + n : n];
    } else if (v !== null && typeof v === 'object' && Object.hasOwn(v, String(s))) {
      v = (v as Record<string, unknown>)[String(s)];
    } else return { r: i + 1 };
  }
  return isUnknown(v) ? { r: 'unknown' } : { r: 'ok', value: v };
}

/** The text of a path's first `n` parts plus the missing one: `a.b` of `a.b.c` when `b` is missing. */
function missingPath(head: string, segments: Array<string | number>, found: number): string {
  return (
    head +
    segments
      .slice(0, found)
      .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
      .join('')
  );
}

/** Rewrite `source` (whose blocks are `blocks`) against `vars`; `print` wraps each {{ }} with `printWith`. */
export function rewrite(
  source: string,
  blocks: Block[],
  vars: Record<string, unknown>,
  printWith?: string,
  /** Ansible's escape_backslashes: a string literal inside {{ }} is its text as written. */
  rawStrings = false,
  /**
   * For a file another template includes: the names its includers bind (theirs to the engine),
   * and a prefix that keeps its computed values' names apart from theirs.
   */
  outer: { bound?: Iterable<string>; prefix?: string } = {},
): Rewritten {
  const bound = boundNames(blocks);
  for (const name of outer.bound ?? []) bound.add(name);
  const macros = macroNames(blocks);
  const heads = new Set<string>();
  const computed = new Map<string, unknown>();
  const edits: Edit[] = [];
  let touchesUnknown = false;
  let tainted = false;
  /** Each {{ }}'s closing edit and whether it read a secret; a `{% set %}` from one taints them all. */
  const closings: Array<{ edit: Edit; tainted: boolean; mark: string }> = [];
  let stmtTainted = false;
  const digitEdits: Edit[] = [];
  const pyStrGroups: Edit[][] = [];
  /** Groups of edits taken only where no other edit overlaps them (dict-order-edits.ts). */
  const groups: Edit[][] = [];
  for (const b of blocks) {
    digitEdits.push(...digitAttributeEdits(b.toks));
    groups.push(
      ...dictOrderEdits(b.toks),
      ...methodOrderEdits(b.toks),
      ...forOrderEdits(b.toks),
      ...iterationOrderEdits(b.toks),
      ...datetimeEdits(b.toks, b.kind === 'print'),
    );
    pyStrGroups.push(...pyStrEdits(b.toks));
    let blockTainted = false;
    // {{ e }} prints as Python would; the engine's own text of a number keeps 2.0 a float
    if (printWith && b.kind === 'print')
      edits.push({ start: b.open, end: b.start, text: `{%${b.marks[0]} set __quorum_v = (` });
    const toks = b.toks;
    edits.push(
      ...computedAccessEdits(toks),
      ...guardedChainEdits(toks, (i) => isPathHead(toks, i)),
      ...formatEdits(toks),
      ...defaultNoneEdits(toks),
      ...mathEdits(toks),
      ...nowEdits(toks),
      ...unpackEdits(b),
    );
    /** Each path's resolution by the index of its last token (for `unusedDefault`). */
    const resolvedAt = new Map<number, { r: Resolution; value?: unknown }>();
    let stop: ReturnType<typeof markerStop>;
    for (let i = 0; i < toks.length; i++) {
      if (toks[i].k === 'str') {
        const literal = source.slice(toks[i].start, toks[i].end);
        // 2.19 doubles each backslash of a {{ }} string before Jinja reads its escapes (AnsibleLexer):
        // 'a\nb' is backslash, n; the same text as a literal the engine reads back unchanged
        const fixed = namedByShortName(toks, i) ?? engineLiteral(literal, rawStrings && b.kind === 'print');
        if (fixed && fixed !== literal) edits.push({ start: toks[i].start, end: toks[i].end, text: fixed });
      }
      // the engine knows filters and tests by their short names
      if (toks[i].fqcn) edits.push({ start: toks[i].start, end: toks[i].end, text: toks[i].v });
      if (!isPathHead(toks, i)) continue;
      const head = toks[i].v;
      const { segments, last } = pathOf(toks, i);
      if (bound.has(head) || GLOBALS.has(head)) {
        // read before the template binds it (`{{ a }}{% set a = 1 %}`, a macro of an included
        // file whose includer sets it later): the variable's value until then
        const value = bound.has(head) && Object.hasOwn(vars, head) ? vars[head] : undefined;
        if (value !== undefined && !isUnknown(value) && !containsUnknown(value)) {
          heads.add(head);
          blockTainted ||= isSecretValue(value);
        }
        i = last;
        continue;
      }
      const { r, value } = walk(vars, head, segments);
      const span = { start: toks[i].start, end: toks[last].end };
      const inFor = b.kind === 'stmt' && toks[0].v === 'for' && toks[i - 1]?.v === 'in';
      // `{{ d }}` alone in text: printed here, in the dict's own order (the engine sorts keys)
      const printedWhole =
        printWith && b.kind === 'print' && i === 0 && last === toks.length - 1 && containsDict(value);
      const ordered =
        r !== 'ok'
          ? undefined
          : printedWhole
            ? { end: last, value: pyStr(value) }
            : (pythonText(toks, i, last, value) ?? orderedUse(toks, last, value, inFor));
      if (ordered) {
        const name = `__quorum_p${outer.prefix ?? ''}${computed.size}`;
        computed.set(name, ordered.value);
        edits.push({ start: span.start, end: toks[ordered.end].end, text: name });
        i = ordered.end;
        continue;
      }
      resolvedAt.set(last, { r, value });
      if (r === 'ok' && isSecretValue(value)) blockTainted = true;
      if (r === 'ok') heads.add(head);
      else if (r === 'unknown') {
        touchesUnknown = true;
        edits.push({ ...span, text: '__quorum_unknown' });
      } else if (guarded(toks, last + 1)) edits.push({ ...span, text: NEVER_DEFINED });
      else if (unusedDefault(toks, i, last, resolvedAt.get(i - 4))) edits.push({ ...span, text: 'none' });
      else if ((stop = markerStop(toks, i, last, macros, edits, span.start))) {
        // the marker and its filters, up to where it stops: an undefined value there, or a
        // marker that fails when ternary picks it
        const end = markerEnd(toks, last);
        const marker = `__quorum_marker(${JSON.stringify(missingPath(head, segments, r))})`;
        edits.push({
          start: span.start,
          end: toks[end].end,
          text: stop === 'ternary' ? marker : NEVER_DEFINED,
        });
        i = end;
        continue;
      } else
        edits.push({ ...span, text: `__quorum_missing(${JSON.stringify(missingPath(head, segments, r))})` });
      i = last;
    }
    tainted ||= blockTainted;
    if (b.kind !== 'print') stmtTainted ||= blockTainted;
    if (printWith && b.kind === 'print') {
      const edit = { start: b.end, end: b.close, text: '' };
      closings.push({ edit, tainted: blockTainted, mark: b.marks[1] });
      edits.push(edit);
    }
  }
  for (const c of closings) {
    const taint = c.tainted || stmtTainted ? '|__quorum_taint' : '';
    c.edit.text = ` ) %}${UNDEFINED_RESULT}{{ __quorum_v|${printWith}(__quorum_v|string)${taint} ${c.mark}}}`;
  }
  // `.1` the engine does not parse, where no other edit took the whole path
  edits.push(...digitEdits.filter((d) => !edits.some((e) => e.start <= d.start && d.end <= e.end)));
  // Python's text of `~` operands and `| string`, where no other edit cuts through the operand
  const overlaps = (x: Edit, e: Edit) =>
    x.start === x.end ? e.start < x.start && x.start < e.end : e.start < x.end && x.start < e.end;
  const taken = edits.slice();
  for (const group of pyStrGroups)
    if (!group.some((x) => taken.some((e) => overlaps(x, e)))) edits.push(...group);
  edits.push(...uncutPairs(groups, edits));
  if (edits.length === 0) return { source, heads, computed, touchesUnknown, tainted };
  edits.sort(
    (x, y) =>
      x.start - y.start || Number(!!y.opens) - Number(!!x.opens) || x.end - x.start - (y.end - y.start),
  );
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return { source: out + source.slice(at), heads, computed, touchesUnknown, tainted };
}

/** A dict, or a list holding one somewhere: what the engine would print with sorted keys. */
function containsDict(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsDict);
  return v !== null && typeof v === 'object' && !isUnknown(v) && !isUnsafe(v) && !containsUnknown(v);
}
