/**
 * `now(...).strftime(fmt)`: Ansible's now() returns a datetime, whose strftime method the engine
 * has no value for; the call becomes `now(..., __strftime=fmt)` (time-filters.ts formats it).
 */
import type { Edit } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

export function nowEdits(toks: Tok[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i];
    if (t.k !== 'name' || t.v !== 'now' || !isOp(toks[i + 1], '(')) continue;
    if (i > 0 && (isOp(toks[i - 1], '.') || isOp(toks[i - 1], '|'))) continue;
    const close = matchingBracket(toks, i + 1);
    const [dot, name, open] = [toks[close + 1], toks[close + 2], toks[close + 3]];
    if (close < 0 || !isOp(dot, '.') || name?.k !== 'name' || name.v !== 'strftime' || !isOp(open, '('))
      continue;
    const empty = close === i + 2;
    edits.push({ start: toks[close].start, end: open.end, text: empty ? '__strftime=' : ', __strftime=' });
  }
  return edits;
}
