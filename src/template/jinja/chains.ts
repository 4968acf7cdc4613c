/**
 * An index or attribute taken from a computed value (`s.split('/')[1]`, `(x | from_json).key`)
 * that is not there gives Jinja's Undefined, which minijinja then compares and concatenates
 * without complaint (`== 2` is false, `~ 'x'` is 'x'); Ansible fails there ("list object has
 * no element 1"). Such an access is rewritten through a filter that fails the same way:
 * `X[k]` becomes `(X|__quorum_at(k))`, `X.name` becomes `(X|__quorum_at('name'))`.
 * Variable paths (`a.b[0]`) are rewrite.ts's business and are left alone.
 */
import { isOp, matchingBracket, type Tok } from './scan.ts';

export interface Edit {
  start: number;
  end: number;
  text: string;
  /** An insertion that opens a span holding what other edits at its place begin: it goes first there. */
  opens?: boolean;
}

const OPEN: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Index of the bracket that opens the one closing at `j`, or -1. */
export function opening(toks: Tok[], j: number): number {
  const close = toks[j].v;
  const open = OPEN[close];
  let depth = 0;
  for (let i = j; i >= 0; i--) {
    if (isOp(toks[i], close)) depth++;
    else if (isOp(toks[i], open) && --depth === 0) return i;
  }
  return -1;
}

/**
 * Where the postfix chain ending at `j` (a `)` or `]`) starts: a call `f(..)` or `a.b(..)`,
 * a parenthesised expression, a list literal. -1 for anything else (a filter's or test's
 * arguments, where an access would not bind to a value).
 */
const KEYWORDS_BEFORE_PARENS = new Set(['if', 'elif', 'else', 'and', 'or', 'not', 'in', 'for', 'with']);

function chainStart(toks: Tok[], j: number): number {
  let k = j;
  for (let guard = 0; guard < toks.length; guard++) {
    const t = toks[k];
    if (isOp(t, ')') || isOp(t, ']')) {
      const o = opening(toks, k);
      if (o < 0) return -1;
      const before = toks[o - 1];
      // a call: the callee is part of the chain (not a filter's or a test's arguments, and not a
      // keyword before a parenthesis: `{% if (x | first).version %}`, `a and (b).c`)
      if (isOp(t, ')') && before?.k === 'name' && !KEYWORDS_BEFORE_PARENS.has(before.v)) {
        if (isOp(toks[o - 2], '|') || toks[o - 2]?.v === 'is' || toks[o - 2]?.v === 'not') return -1;
        k = o - 1;
        continue;
      }
      // a subscript of something before it, or a bracket that starts the chain
      if (
        isOp(t, ']') &&
        before &&
        (isOp(before, ')') || isOp(before, ']') || before.k === 'name' || before.k === 'str')
      ) {
        k = o - 1;
        continue;
      }
      return o;
    }
    if (t.k === 'name' || t.k === 'str' || t.k === 'num') {
      if (isOp(toks[k - 1], '.') && k >= 2) {
        k -= 2;
        continue;
      }
      if (isOp(toks[k - 1], '|') || toks[k - 1]?.v === 'is') return -1;
      return k;
    }
    return -1;
  }
  return -1;
}

/** Index of the last token of the postfix chain that continues after `j`. */
function chainEnd(toks: Tok[], j: number): number {
  let k = j;
  for (let guard = 0; guard < toks.length; guard++) {
    const next = toks[k + 1];
    if (isOp(next, '.') && toks[k + 2]?.k === 'name') k += 2;
    else if (isOp(next, '[') || isOp(next, '(')) {
      const c = matchingBracket(toks, k + 1);
      if (c < 0) return k;
      k = c;
    } else return k;
  }
  return k;
}

/** `is defined`, `is undefined` and `default` may look at a missing value: no error there. */
export function guarded(toks: Tok[], after: number): boolean {
  const a = toks[after];
  const b = toks[after + 1];
  if (a?.v === 'is') {
    const test = b?.v === 'not' ? toks[after + 2] : b;
    return test?.v === 'defined' || test?.v === 'undefined';
  }
  return isOp(a, '|') && (b?.v === 'default' || b?.v === 'd');
}

/** The edits that route accesses on computed values through `__quorum_at`. */
export function computedAccessEdits(toks: Tok[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 1; i < toks.length; i++) {
    const prev = toks[i - 1];
    // after a call, a subscript, or an attribute of a chain (`f(x).a.b`: `.b` too)
    if (!isOp(prev, ')') && !isOp(prev, ']') && !(prev.k === 'name' && isOp(toks[i - 2], '.'))) continue;
    const t = toks[i];
    let end: number;
    let replace: Edit[];
    if (isOp(t, '[')) {
      end = matchingBracket(toks, i);
      if (end < 0) continue;
      // a slice never gives Undefined
      if (toks.slice(i + 1, end).some((x) => isOp(x, ':'))) continue;
      replace = [
        { start: t.start, end: t.end, text: '|__quorum_at(' },
        { start: toks[end].start, end: toks[end].end, text: '))' },
      ];
    } else if (isOp(t, '.') && toks[i + 1]?.k === 'name' && !isOp(toks[i + 2], '(')) {
      end = i + 1;
      replace = [
        { start: t.start, end: toks[end].end, text: `|__quorum_at(${JSON.stringify(toks[end].v)}))` },
      ];
    } else continue;
    const start = chainStart(toks, i - 1);
    // only a chain with a call in it is computed; a plain path is rewrite.ts's
    if (start < 0 || !toks.slice(start, i).some((x) => isOp(x, '('))) continue;
    if (guarded(toks, chainEnd(toks, end) + 1)) continue;
    // the chain's own head, when it is a variable path, is rewritten from the same offset
    edits.push({ start: toks[start].start, end: toks[start].start, text: '(' }, ...replace);
  }
  return edits;
}
