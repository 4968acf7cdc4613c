/**
 * Python's str() where Jinja2 takes one and minijinja writes its own text: the operands of `~`
 * and what is piped to `string`. Python writes True, False and None (and a list as
 * `['a', 1]`); minijinja writes true, false, none. A variable operand gets its text in py-text.ts;
 * any other (a comparison in parentheses, a test, a filter's result) is wrapped here as
 * `__quorum_pys(X)`, a macro (engine.ts) that gives the Python text and keeps the engine's own
 * text of a number (2.0 stays 2.0). An operand whose extent the tokens do not settle (`a + b ~ c`,
 * `-x | string`) is left as it was.
 */
import { type Edit, opening } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

export const PY_STR_MACRO = '__quorum_pys';

const MATH = new Set(['+', '-', '*', '/', '//', '%', '**']);
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'elif', 'for', 'recursive', 'with']);
const OPEN: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** A name that can stand in an operand: a variable, a function, `true`/`none` (not `and`, `if` ...). */
const isName = (t: Tok | undefined) => t?.k === 'name' && !KEYWORDS.has(t.v);
const isLiteral = (t: Tok | undefined) => t?.k === 'str' || t?.k === 'num';

/** The first token of the postfix/filter/test chain that ends at `end`, or -1. */
function chainBack(toks: Tok[], end: number): number {
  let j = end;
  for (let guard = 0; guard <= toks.length && j >= 0; guard++) {
    const t = toks[j];
    let p: number;
    if (t.k === 'op' && OPEN[t.v]) {
      const k = opening(toks, j);
      if (k < 0) return -1;
      // a call or a subscript continues the chain leftwards; a group or a literal starts it
      const before = toks[k - 1];
      if (t.v !== '}' && (isName(before) || isOp(before, ')') || isOp(before, ']') || before?.k === 'str')) {
        j = k - 1;
        continue;
      }
      p = k;
    } else if (isName(t) || isLiteral(t)) p = j;
    else return -1;
    const prev = toks[p - 1];
    if (isOp(prev, '.') || isOp(prev, '|')) j = p - 2;
    else if (prev?.v === 'is') j = p - 2;
    else if (prev?.v === 'not' && toks[p - 2]?.v === 'is') j = p - 3;
    else return p;
  }
  return -1;
}

/** The last token of the postfix/filter/test chain that starts at `start`, or -1. */
function chainForward(toks: Tok[], start: number): number {
  const t = toks[start];
  let j: number;
  if (t === undefined) return -1;
  if (t.k === 'op' && ['(', '[', '{'].includes(t.v)) j = matchingBracket(toks, start);
  else if (isName(t) || isLiteral(t)) j = start;
  else return -1;
  for (let guard = 0; guard <= toks.length && j >= 0; guard++) {
    const next = toks[j + 1];
    // `a.b`, `a.0` (an index written as an attribute), `a | f`
    if (isOp(next, '.') && (isName(toks[j + 2]) || toks[j + 2]?.k === 'num')) j += 2;
    else if (isOp(next, '|') && isName(toks[j + 2])) j += 2;
    else if (isOp(next, '(') || isOp(next, '[')) j = matchingBracket(toks, j + 1);
    else if (next?.v === 'is') {
      const name = toks[j + 2]?.v === 'not' ? j + 3 : j + 2;
      if (!isName(toks[name])) return -1;
      // a test's argument without parentheses (`is divisibleby 3`) is not followed here
      const after = toks[name + 1];
      if (isName(after) || isLiteral(after)) return -1;
      j = name;
    } else return j;
  }
  return -1;
}

/** Whether the chain toks[a..b] needs no wrapping: a string or number literal alone. */
const plainLiteral = (toks: Tok[], a: number, b: number) => a === b && isLiteral(toks[a]);

/**
 * The edits wrapping each operand of `~` and each value piped to `string` in `__quorum_pys(...)`,
 * in groups to take whole or not at all (rewrite.ts leaves out a group another edit overlaps).
 */
export function pyStrEdits(toks: Tok[]): Edit[][] {
  const spans = new Map<string, { a: number; b: number; also: Edit[] }>();
  const wrap = (a: number, b: number) => {
    if (a < 0 || b < 0 || plainLiteral(toks, a, b)) return;
    if (!spans.has(`${a}:${b}`)) spans.set(`${a}:${b}`, { a, b, also: [] });
  };
  for (let i = 0; i < toks.length; i++) {
    if (isOp(toks[i], '~')) {
      const left = chainBack(toks, i - 1);
      if (left >= 0 && !MATH.has(toks[left - 1]?.v ?? '')) wrap(left, i - 1);
      const right = chainForward(toks, i + 1);
      const after = toks[right + 1];
      if (right >= 0 && !(after?.k === 'op' && MATH.has(after.v))) wrap(i + 1, right);
    } else if (isOp(toks[i], '|') && toks[i + 1]?.v === 'string' && !isOp(toks[i + 2], '(')) {
      const left = chainBack(toks, i - 1);
      const before = toks[left - 1];
      // `-x | string` is `(-x) | string`: a unary sign in front is left alone
      if (left < 0 || (before?.k === 'op' && (before.v === '-' || before.v === '+'))) continue;
      const dropped = { start: toks[i].start, end: toks[i + 1].end, text: '' };
      spans.set(`${left}:${i - 1}|`, { a: left, b: i - 1, also: [dropped] });
    }
  }
  return [...spans.values()].map(({ a, b, also }) => [
    { start: toks[a].start, end: toks[a].start, text: `${PY_STR_MACRO}(`, opens: true },
    { start: toks[b].end, end: toks[b].end, text: ')' },
    ...also,
  ]);
}
