/**
 * The engine's `sum` takes no arguments and its `round` no method; Jinja2's take both. Calls that
 * pass them go to math-filters.ts instead:
 *
 * - `x | sum(attribute='a', start=[])` -> `x | __quorum_sum(attribute='a', start=[])`;
 * - `x | round(0, 'floor')` -> `x | __quorum_round(0, 'floor')|float`: Jinja2 divides after
 *   math.floor, so the result is a float (2.0), which a JavaScript number cannot say.
 *
 * - `x | community.general.to_seconds` -> `... | to_seconds|float`: the time units are floats.
 *
 * A bare `sum` and a `round` without a method stay the engine's.
 */
import type { Edit } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';
import { TIME_UNIT_FILTERS } from './time-units.ts';

/** The arguments between the brackets at `open` and `close`: how many, and the keyword names. */
function argumentsOf(toks: Tok[], open: number, close: number): { count: number; keywords: string[] } {
  let count = close > open + 1 ? 1 : 0;
  const keywords: string[] = [];
  for (let j = open + 1; j < close; j++) {
    const t = toks[j];
    if (t.k === 'op' && (t.v === '(' || t.v === '[' || t.v === '{')) {
      j = matchingBracket(toks, j);
      if (j < 0) break;
    } else if (isOp(t, ',') && j + 1 < close) count++;
    else if (t.k === 'name' && isOp(toks[j + 1], '=') && (j === open + 1 || isOp(toks[j - 1], ',')))
      keywords.push(t.v);
  }
  return { count, keywords };
}

export function mathEdits(toks: Tok[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i];
    // community.general's time units are floats (Python's division): 60.0, not 60
    if (isOp(toks[i - 1], '|') && t.k === 'name' && t.v in TIME_UNIT_FILTERS) {
      const close = isOp(toks[i + 1], '(') ? matchingBracket(toks, i + 1) : i;
      if (close >= 0) edits.push({ start: toks[close].end, end: toks[close].end, text: '|float' });
      continue;
    }
    if (i + 1 >= toks.length) continue;
    if (!isOp(toks[i - 1], '|') || t.k !== 'name' || t.fqcn || !isOp(toks[i + 1], '(')) continue;
    if (t.v !== 'sum' && t.v !== 'round') continue;
    const close = matchingBracket(toks, i + 1);
    if (close < 0) continue;
    const { count, keywords } = argumentsOf(toks, i + 1, close);
    if (t.v === 'sum' && count > 0) edits.push({ start: t.start, end: t.end, text: '__quorum_sum' });
    if (t.v === 'round' && (keywords.includes('method') || count - keywords.length >= 2)) {
      edits.push({ start: t.start, end: t.end, text: '__quorum_round' });
      edits.push({ start: toks[close].end, end: toks[close].end, text: '|float' });
    }
  }
  return edits;
}
