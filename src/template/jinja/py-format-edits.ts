/**
 * Python's string formatting, which the engine lacks, rewritten to filters (py-format.ts):
 *
 * - `'fmt' % x` (a string literal on the left) -> `'fmt'|__quorum_pyformat(x, false)`, and
 *   `'fmt' % (a, b)` -> `...(( a, b), true)`: whether the right side is a tuple is syntax
 *   (Python takes a list as one argument), so it is decided here, not from the value;
 * - `s.format(a, k=v)` -> `s|__quorum_strformat([a], {'k': v})`: keyword arguments cannot be
 *   told from a dict once they cross into JavaScript, so they are split here too.
 *
 * Filters and tests bind tighter than `%` in Jinja2, so the right operand takes its postfix
 * chain (`.a`, `[i]`, `(..)`, `| f(..)`, `is t`) along.
 */
import type { Edit } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The last token of the operand that starts at `i` (a primary and its postfix chain), or -1. */
function operandEnd(toks: Tok[], i: number): number {
  let j = i;
  while (isOp(toks[j], '-') || isOp(toks[j], '+')) j++;
  const t = toks[j];
  if (!t) return -1;
  if (t.k === 'op') {
    if (!PAIRS[t.v]) return -1;
    j = matchingBracket(toks, j);
    if (j < 0) return -1;
  }
  for (let guard = 0; guard < toks.length; guard++) {
    const next = toks[j + 1];
    if (isOp(next, '.') && toks[j + 2]?.k === 'name') j += 2;
    else if (isOp(next, '[') || isOp(next, '(')) j = matchingBracket(toks, j + 1);
    else if (isOp(next, '|') && toks[j + 2]?.k === 'name') {
      j += 2;
      if (isOp(toks[j + 1], '(')) j = matchingBracket(toks, j + 1);
    } else if (next?.v === 'is' && next.k === 'name') {
      j += toks[j + 2]?.v === 'not' ? 2 : 1;
      if (toks[j + 1]?.k !== 'name') return -1;
      j += 1;
      if (isOp(toks[j + 1], '(')) j = matchingBracket(toks, j + 1);
    } else break;
    if (j < 0) return -1;
  }
  return j;
}

/** True when the group opening at `i` (a parenthesis) holds a comma at its own level: a tuple. */
function isTuple(toks: Tok[], i: number, end: number): boolean {
  if (!isOp(toks[i], '(') || matchingBracket(toks, i) !== end) return false;
  let depth = 0;
  for (let j = i + 1; j < end; j++) {
    if (PAIRS[toks[j].v] && toks[j].k === 'op') depth++;
    else if (Object.values(PAIRS).includes(toks[j].v) && toks[j].k === 'op') depth--;
    else if (depth === 0 && isOp(toks[j], ',')) return true;
  }
  return false;
}

function percentEdits(toks: Tok[], i: number): Edit[] {
  const left = toks[i - 1];
  // only a string literal on the left: `count % 2` stays the engine's modulo
  if (left?.k !== 'str' || isOp(toks[i - 2], '.')) return [];
  const end = operandEnd(toks, i + 1);
  if (end < 0) return [];
  const tuple = isTuple(toks, i + 1, end);
  return [
    { start: toks[i].start, end: toks[i].end, text: '|__quorum_pyformat(' },
    { start: toks[end].end, end: toks[end].end, text: `, ${tuple})` },
  ];
}

function strFormatEdits(toks: Tok[], i: number): Edit[] {
  const open = i + 2;
  const close = matchingBracket(toks, open);
  if (close < 0) return [];
  const edits: Edit[] = [{ start: toks[i].start, end: toks[open].end, text: '|__quorum_strformat([' }];
  // the arguments at the call's own level: keyword ones are `name =`
  let depth = 0;
  let keywords = false;
  for (let j = open + 1; j < close; j++) {
    const t = toks[j];
    if (t.k === 'op' && PAIRS[t.v]) depth++;
    else if (t.k === 'op' && Object.values(PAIRS).includes(t.v)) depth--;
    const startsArg = isOp(toks[j - 1], '(') || isOp(toks[j - 1], ',');
    if (depth !== 0 || !startsArg || t.k !== 'name' || !isOp(toks[j + 1], '=')) continue;
    if (!keywords) {
      const comma = toks[j - 1];
      edits.push(
        isOp(comma, ',')
          ? { start: comma.start, end: comma.end, text: '], {' }
          : { start: t.start, end: t.start, text: '], {' },
      );
      keywords = true;
    }
    edits.push({ start: t.start, end: toks[j + 1].end, text: `${JSON.stringify(t.v)}:` });
  }
  edits.push({ start: toks[close].start, end: toks[close].start, text: keywords ? '}' : ']' });
  return edits;
}

export function formatEdits(toks: Tok[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 1; i < toks.length; i++) {
    if (isOp(toks[i], '%')) edits.push(...percentEdits(toks, i));
    else if (
      isOp(toks[i], '.') &&
      toks[i + 1]?.k === 'name' &&
      toks[i + 1].v === 'format' &&
      isOp(toks[i + 2], '(') &&
      toks[i + 1].start === toks[i].end
    )
      edits.push(...strFormatEdits(toks, i));
  }
  return edits;
}
