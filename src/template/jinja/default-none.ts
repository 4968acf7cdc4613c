/**
 * `x | default(none)` gives None in Jinja2; the engine's `default` takes a none argument as no
 * argument and gives ''. So a none default is rewritten to a marker and the marker back to
 * None right after: `x | default(none, true)` -> `x | default('<marker>', true)|__quorum_none`.
 */
import type { Edit } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

export const NONE_MARKER = '__quorum_none_default__';

export function defaultNoneEdits(toks: Tok[]): Edit[] {
  const edits: Edit[] = [];
  for (let i = 1; i + 3 < toks.length; i++) {
    const arg = toks[i + 2];
    if (!isOp(toks[i - 1], '|') || toks[i].k !== 'name' || (toks[i].v !== 'default' && toks[i].v !== 'd'))
      continue;
    if (!isOp(toks[i + 1], '(') || arg.k !== 'name' || (arg.v !== 'none' && arg.v !== 'None')) continue;
    if (!isOp(toks[i + 3], ')') && !isOp(toks[i + 3], ',')) continue;
    const close = matchingBracket(toks, i + 1);
    if (close < 0) continue;
    edits.push({ start: arg.start, end: arg.end, text: `'${NONE_MARKER}'` });
    edits.push({ start: toks[close].end, end: toks[close].end, text: '|__quorum_none' });
  }
  return edits;
}
