/**
 * What roles do with to_datetime's value, which the engine has no datetime for (datetime.ts):
 *
 * - `(a - b).days` (`.seconds`, `.microseconds`) of two datetimes: `(__quorum_timedelta((a), (b),
 *   'fields')).days`, a dict of the three the attribute is read from (chains.ts);
 *   `.total_seconds()`: `(__quorum_timedelta((a), (b), 'total_seconds')|float)`, through the
 *   engine's `float`, so a whole 60.0 prints as Python prints it; the timedelta alone, its text;
 * - `(d).strftime(fmt)`: `((d)|__quorum_dt_strftime(fmt))`; `(d).year`: `((d)|__quorum_dt_fields).year`.
 *
 * Each when its bracket holds a to_datetime (or now()) on every side; the caller takes a group
 * only where no other edit overlaps it.
 */
import type { Edit } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

const DELTA_FIELDS = new Set(['days', 'seconds', 'microseconds']);
const FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond']);
const makesDatetime = (toks: Tok[]) =>
  toks.some((t, i) => t.k === 'name' && (t.v === 'to_datetime' || (t.v === 'now' && isOp(toks[i + 1], '('))));

/** The one binary `-` at the top level of toks[from..to), or -1. */
function topLevelMinus(toks: Tok[], from: number, to: number): number {
  let found = -1;
  for (let i = from; i < to; i++) {
    if (isOp(toks[i], '(') || isOp(toks[i], '[') || isOp(toks[i], '{')) {
      i = matchingBracket(toks, i);
      if (i < 0) return -1;
      continue;
    }
    const before = toks[i - 1];
    const operand = before && (before.k !== 'op' || isOp(before, ')') || isOp(before, ']'));
    if (isOp(toks[i], '-') && i > from && operand) {
      if (found >= 0) return -1;
      found = i;
    }
  }
  return found;
}

/** `whole`: toks are one expression (a `{{ }}`), whose own top-level `a - b` counts too. */
export function datetimeEdits(toks: Tok[], whole: boolean): Edit[][] {
  const out: Edit[][] = [];
  const minus = whole ? topLevelMinus(toks, 0, toks.length) : -1;
  if (minus > 0 && makesDatetime(toks.slice(0, minus)) && makesDatetime(toks.slice(minus + 1))) {
    const last = toks[toks.length - 1];
    out.push([
      { start: toks[0].start, end: toks[0].start, text: '(__quorum_timedelta((' },
      { start: toks[minus].start, end: toks[minus].end, text: '), (' },
      { start: last.end, end: last.end, text: "), 'str'))" },
    ]);
  }
  for (let open = 0; open < toks.length; open++) {
    if (!isOp(toks[open], '(')) continue;
    // a call's brackets are the call's
    const before = toks[open - 1];
    if (before && (before.k === 'name' || isOp(before, ')') || isOp(before, ']'))) continue;
    const close = matchingBracket(toks, open);
    if (close < 0) continue;
    const [dot, name, call, shut] = toks.slice(close + 1, close + 5);
    const attribute = isOp(dot, '.') && name?.k === 'name' ? name.v : undefined;
    const minus = topLevelMinus(toks, open + 1, close);
    const at = (i: number, text: string, last = i) => ({ start: toks[i].start, end: toks[last].end, text });
    if (minus > 0) {
      if (!makesDatetime(toks.slice(open + 1, minus)) || !makesDatetime(toks.slice(minus + 1, close)))
        continue;
      const what =
        attribute === 'total_seconds' && isOp(call, '(') && isOp(shut, ')')
          ? { text: "), 'total_seconds')|float)", last: close + 4 }
          : attribute && DELTA_FIELDS.has(attribute)
            ? { text: "), 'fields'))", last: close }
            : { text: "), 'str'))", last: close };
      out.push([at(open, '(__quorum_timedelta(('), at(minus, '), ('), at(close, what.text, what.last)]);
    } else if (attribute && makesDatetime(toks.slice(open + 1, close))) {
      if (attribute === 'strftime' && isOp(call, '(')) {
        const end = matchingBracket(toks, close + 3);
        if (end < 0) continue;
        out.push([at(open, '(('), at(close, ')|__quorum_dt_strftime(', close + 3), at(end, '))')]);
      } else if (FIELDS.has(attribute) && !isOp(call, '('))
        out.push([at(open, '(('), at(close, ')|__quorum_dt_fields)')]);
    }
  }
  return out;
}
