/**
 * Where an undefined variable is no error yet in 2.19: its undefined value (a "marker") passes
 * through filters (each returns the marker it was given) until something uses it, so
 * `nope | join(',') | default('d')` is 'd', `(nope is defined) | ternary(nope | join(', '),
 * '<None>')` is '<None>' (ternary takes markers and returns the branch it picks), and a
 * template's own macro binds it as Undefined (`body_option("X", ssh_X)` in linux-system-roles'
 * ssh_config.j2, tested with `is defined` inside). robertdebock's postfix writes the ternary
 * form in its vars. Anywhere else it is the error it always was.
 */

import { type Edit, guarded } from './chains.ts';
import { JinjaUndefined } from './jinja-error.ts';
import { type Block, isOp, matchingBracket, type Tok } from './scan.ts';

/** What a marker handed to ternary is in the engine: `__quorum_marker('path')` makes it. */
const MARKER = '__quorum_marker';
export const markerOf = (path: string) => ({ [MARKER]: path });

/** ternary's picked branch: a marker fails as its variable is undefined, as when 2.19 uses it. */
export function pickedBranch(v: unknown): unknown {
  if (v && typeof v === 'object' && MARKER in v)
    throw new JinjaUndefined(String((v as Record<string, unknown>)[MARKER]));
  return v;
}

/** The names a template's `{% macro NAME(...) %}` blocks define. */
export function macroNames(blocks: Block[]): Set<string> {
  const names = new Set<string>();
  for (const b of blocks)
    if (b.kind === 'stmt' && b.toks[0]?.v === 'macro' && b.toks[1]?.k === 'name') names.add(b.toks[1].v);
  return names;
}

/** 2.19's filters that take a marker as it is (ansible's core filters decorated so): not passed through. */
const TAKES_MARKERS = new Set([
  'default',
  'd',
  'ternary',
  'mandatory',
  'to_yaml',
  'to_nice_yaml',
  'type_debug',
]);

/** The last token of the filters the marker of the path ending at `last` passes through. */
export function markerEnd(toks: Tok[], last: number): number {
  let end = last;
  while (isOp(toks[end + 1], '|') && toks[end + 2]?.k === 'name' && !TAKES_MARKERS.has(toks[end + 2].v)) {
    end += 2;
    if (isOp(toks[end + 1], '(')) {
      const close = matchingBracket(toks, end + 1);
      if (close < 0) return last;
      end = close;
    }
  }
  return end;
}

/**
 * toks[i..end] is a whole argument, by position or by keyword, of a call that takes a marker as
 * it is: a template's own macro (bound as Undefined there) or the ternary filter.
 */
function lazyArgumentOf(
  toks: Tok[],
  i: number,
  end: number,
  macros: Set<string>,
): 'macro' | 'ternary' | undefined {
  if (![',', ')'].includes(toks[end + 1]?.v)) return undefined;
  let before = i - 1;
  if (toks[before]?.v === '=' && toks[before - 1]?.k === 'name') before -= 2;
  if (![',', '('].includes(toks[before]?.v)) return undefined;
  // back to the call's opening parenthesis, past nested ones
  let depth = 0;
  for (let j = before; j >= 0; j--) {
    const v = toks[j].v;
    if (v === ')' || v === ']' || v === '}') depth++;
    else if (v === '(' || v === '[' || v === '{') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const callee = toks[j - 1];
      if (v !== '(' || callee?.k !== 'name') return undefined;
      if (isOp(toks[j - 2], '|')) return callee.v === 'ternary' ? 'ternary' : undefined;
      return macros.has(callee.v) && !isOp(toks[j - 2], '.') ? 'macro' : undefined;
    }
  }
  return undefined;
}

/**
 * The span start..end replaced whole, where no edit made so far cuts across it (those inside it
 * go: the span replaces what they edit); false where one does.
 */
function takeSpan(edits: Array<{ start: number; end: number }>, start: number, end: number): boolean {
  const inside = (e: { start: number; end: number }) => e.start >= start && e.end <= end;
  const crosses = (e: { start: number; end: number }) => e.start < end && e.end > start && !inside(e);
  if (edits.some(crosses)) return false;
  for (let k = edits.length - 1; k >= 0; k--) if (inside(edits[k])) edits.splice(k, 1);
  return true;
}

/**
 * A missing path whose marker (2.19's undefined value, marker-chains.ts) passes through filters
 * to a `default`, an `is defined` or an argument that takes it as it is: where it stops, if the
 * span can be replaced whole (takeSpan), else undefined (an error where it is evaluated).
 */
export function markerStop(
  toks: Tok[],
  i: number,
  last: number,
  macros: Set<string>,
  edits: Edit[],
  start: number,
): 'guarded' | 'macro' | 'ternary' | undefined {
  const end = markerEnd(toks, last);
  const stop = end > last && guarded(toks, end + 1) ? 'guarded' : lazyArgumentOf(toks, i, end, macros);
  return stop && takeSpan(edits, start, toks[end].end) ? stop : undefined;
}
