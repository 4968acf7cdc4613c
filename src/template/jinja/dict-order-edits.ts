/**
 * The rewrites that let a template's own dicts keep their order (dict-order.ts): dict literals and
 * `dict(k=v)` calls leave their key order before the engine sorts them; `.items()`, `.keys()`,
 * `.values()` and `for k in d` of a dict bound in the template list it in that order.
 */
import { isOp, matchingBracket, type Tok } from './scan.ts';

/** A literal key the edit can name again: a plain string or an integer. */
function literalKey(toks: Tok[]): string | undefined {
  if (toks.length !== 1) return undefined;
  const [t] = toks;
  if (t.k === 'str' && !t.v.includes('\\')) return t.v;
  if (t.k === 'num' && /^\d+$/.test(t.v)) return String(Number(t.v));
  return undefined;
}

/** The tokens between `open` and its closing bracket, cut at top-level commas. */
function items(toks: Tok[], open: number, close: number): Tok[][] {
  const out: Tok[][] = [[]];
  for (let i = open + 1; i < close; i++) {
    if (isOp(toks[i], '(') || isOp(toks[i], '[') || isOp(toks[i], '{')) {
      const end = matchingBracket(toks, i);
      out[out.length - 1].push(...toks.slice(i, end + 1));
      i = end;
    } else if (isOp(toks[i], ',')) out.push([]);
    else out[out.length - 1].push(toks[i]);
  }
  // a trailing comma
  if (out.length > 1 && out[out.length - 1].length === 0) out.pop();
  return out;
}

export interface OrderEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Each dict literal of two or more literal keys, and each `dict(k=v, ...)` call, wrapped to
 * leave its key order first: `({'z': 1, 'a': 2} if __quorum_order('z', 'a') else {})`. A pair
 * of insertions per dict; a caller drops a pair that another edit's span cuts through.
 */
export function dictOrderEdits(toks: Tok[]): OrderEdit[][] {
  const out: OrderEdit[][] = [];
  for (let i = 0; i < toks.length; i++) {
    const call = toks[i].k === 'name' && toks[i].v === 'dict' && isOp(toks[i + 1], '(');
    if (!isOp(toks[i], '{') && !call) continue;
    if (call && (isOp(toks[i - 1], '.') || isOp(toks[i - 1], '|'))) continue;
    const open = call ? i + 1 : i;
    const close = matchingBracket(toks, open);
    if (close < 0) continue;
    const args = items(toks, open, close);
    // `dict(zip(a, b))`, `dict(pairs)`: made from the pairs in their order (__quorum_dict)
    if (
      call &&
      args.length === 1 &&
      args[0].length > 0 &&
      !(args[0][0].k === 'name' && isOp(args[0][1], '='))
    ) {
      out.push([
        { start: toks[i].start, end: toks[open].end, text: '((' },
        { start: toks[close].start, end: toks[close].end, text: ')|__quorum_dict)' },
      ]);
      continue;
    }
    const keys: string[] = [];
    for (const item of args) {
      const key = call
        ? item[0]?.k === 'name' && isOp(item[1], '=')
          ? item[0].v
          : undefined
        : literalKey(
            item.slice(
              0,
              Math.max(
                0,
                item.findIndex((t) => isOp(t, ':')),
              ),
            ),
          );
      if (key === undefined) {
        keys.length = 0;
        break;
      }
      keys.push(key);
    }
    if (keys.length < 2) continue;
    out.push([
      { start: toks[i].start, end: toks[i].start, text: '(' },
      {
        start: toks[close].end,
        end: toks[close].end,
        text: ` if __quorum_order(${keys.map((k) => JSON.stringify(k)).join(', ')}) else {})`,
      },
    ]);
  }
  return out;
}

/** Words that end an operand to their right (`for k in (x).items()`). */
export const KEYWORDS = new Set([
  'in',
  'if',
  'else',
  'elif',
  'and',
  'or',
  'not',
  'is',
  'for',
  'set',
  'return',
]);
const operandName = (t: Tok | undefined) => t?.k === 'name' && !KEYWORDS.has(t.v);

/** Where the operand ending at token `last` starts: a path, a call or subscript chain, or a bracketed expression. */
function operandStart(toks: Tok[], last: number): number {
  let i = last;
  for (let guard = 0; guard < toks.length && i >= 0; guard++) {
    const t = toks[i];
    if (isOp(t, ')') || isOp(t, ']') || isOp(t, '}')) {
      const open = openingBracket(toks, i);
      if (open < 0) return -1;
      // `f(x)`, `a[0]`: the name or chain the brackets belong to; `(x)` alone ends here
      const before = toks[open - 1];
      if (before && (operandName(before) || isOp(before, ')') || isOp(before, ']')) && !isOp(t, '}')) {
        i = open - 1;
        continue;
      }
      return open;
    }
    if (!operandName(t) && t.k !== 'str') return -1;
    if (isOp(toks[i - 1], '.')) {
      i -= 2;
      continue;
    }
    return i;
  }
  return -1;
}

export function openingBracket(toks: Tok[], close: number): number {
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let depth = 0;
  for (let j = close; j >= 0; j--) {
    if (toks[j].k !== 'op') continue;
    if (toks[j].v === toks[close].v) depth++;
    else if (toks[j].v === pairs[toks[close].v] && --depth === 0) return j;
  }
  return -1;
}

/**
 * `x.items()`, `x.keys()`, `x.values()` of a dict computed or bound in the template (a loop's
 * item, a `set` variable): the engine's methods would list it sorted. Rewritten to
 * `(x|__quorum_items)`, a filter that lists the dict in its kept order. A var path's own calls
 * are answered before (ordered.ts).
 */
export function methodOrderEdits(toks: Tok[]): OrderEdit[][] {
  const out: OrderEdit[][] = [];
  for (let i = 1; i + 2 < toks.length; i++) {
    const [dot, name, open, close] = toks.slice(i, i + 4);
    if (
      !isOp(dot, '.') ||
      !['items', 'keys', 'values'].includes(name.v) ||
      !isOp(open, '(') ||
      !isOp(close, ')')
    )
      continue;
    const start = operandStart(toks, i - 1);
    if (start < 0) continue;
    out.push([
      { start: toks[start].start, end: toks[start].start, text: '(' },
      { start: dot.start, end: close.end, text: `|__quorum_${name.v})` },
    ]);
  }
  return out;
}

/**
 * The groups no other edit overlaps, nor a group taken before (an insertion strictly inside a
 * replaced span would garble it), in the order given.
 */
export function uncutPairs(groups: OrderEdit[][], edits: OrderEdit[]): OrderEdit[] {
  const overlaps = (x: OrderEdit, e: OrderEdit) =>
    x.start === x.end ? e.start < x.start && x.start < e.end : e.start < x.end && x.start < e.end;
  const taken: OrderEdit[] = [];
  const clear = (x: OrderEdit) => ![...edits, ...taken].some((e) => overlaps(x, e) || overlaps(e, x));
  for (const group of groups) if (group.every(clear)) taken.push(...group);
  return taken;
}
