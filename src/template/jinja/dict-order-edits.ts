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
const KEYWORDS = new Set(['in', 'if', 'else', 'elif', 'and', 'or', 'not', 'is', 'for', 'set', 'return']);
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

function openingBracket(toks: Tok[], close: number): number {
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

/** Filters whose value is often a dict: an iterable ending in one is iterated in its kept order. */
const DICT_MAKERS = new Set(['combine', 'items2dict', 'from_json', 'from_yaml', 'default', 'd']);

/** `a.b['c']` from `from`: the index of its last token, or -1 when the tokens there are not a plain path. */
function plainPathEnd(toks: Tok[], from: number, to?: number): number {
  if (toks[from]?.k !== 'name') return -1;
  let end = from;
  for (;;) {
    if (isOp(toks[end + 1], '.') && toks[end + 2]?.k === 'name') end += 2;
    else if (
      isOp(toks[end + 1], '[') &&
      ['str', 'num'].includes(toks[end + 2]?.k) &&
      isOp(toks[end + 3], ']')
    )
      end += 3;
    else break;
  }
  return to === undefined || end === to ? end : -1;
}

/** Tokens written out again (string literals with a backslash are not: undefined). */
function tokensText(toks: Tok[]): string | undefined {
  if (toks.some((t) => t.k === 'str' && t.v.includes('\\'))) return undefined;
  let out = '';
  for (const [i, t] of toks.entries()) {
    const glued = i === 0 || isOp(t, '.') || isOp(toks[i - 1], '.') || isOp(t, '(') || isOp(t, '[');
    out += (glued ? '' : ' ') + (t.k === 'str' ? JSON.stringify(t.v) : t.v);
  }
  return out;
}

/**
 * `for k in item.opts` over a dict bound in the template (a loop's item, a `set` variable), and
 * `for k in x | combine(y)`: the engine would go through the keys sorted. Such an iterable goes
 * through its kept order: `(E|__quorum_keys if E is mapping else E)`. Other iterables as before
 * (E is evaluated twice: only a plain path, or a pipeline that ends in a filter making dicts and
 * calls no lookup).
 */
export function forOrderEdits(toks: Tok[]): OrderEdit[][] {
  if (toks[0]?.v !== 'for') return [];
  const from = toks.findIndex((t) => t.k === 'name' && t.v === 'in') + 1;
  if (from <= 0) return [];
  let to = from;
  for (; to < toks.length; to++) {
    if (isOp(toks[to], '(') || isOp(toks[to], '[') || isOp(toks[to], '{')) to = matchingBracket(toks, to);
    if (to < 0) return [];
    if (toks[to + 1]?.k === 'name' && ['if', 'recursive'].includes(toks[to + 1].v)) break;
  }
  to = Math.min(to, toks.length - 1);
  const iterable = toks.slice(from, to + 1);
  const lastFilter = iterable.findLastIndex((t, i) => t.k === 'name' && isOp(iterable[i - 1], '|'));
  const madeDict =
    lastFilter >= 0 &&
    DICT_MAKERS.has(iterable[lastFilter].v) &&
    !iterable.some((t) => t.k === 'name' && ['lookup', 'query', 'q', 'now'].includes(t.v));
  if (plainPathEnd(toks, from, to) < 0 && !madeDict) return [];
  const text = tokensText(iterable);
  if (text === undefined) return [];
  return [
    [
      {
        start: toks[from].start,
        end: toks[to].end,
        text: `((${text})|__quorum_keys if (${text}) is mapping else (${text}))`,
      },
    ],
  ];
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

/** Filters that go through what they are given item by item: a dict gives them its keys. */
export const ITERATING = new Set([
  'list',
  'first',
  'last',
  'join',
  'map',
  'select',
  'reject',
  'selectattr',
  'rejectattr',
  'batch',
  'slice',
  'unique',
]);

/** Filters whose value is always a dict. */
const DICT_ALWAYS = new Set(['combine', 'items2dict']);

/** Whether the operand ending at token `last` is a dict for sure: `x | combine(y)`, `(x | items2dict)`. */
function alwaysDict(toks: Tok[], last: number): boolean {
  const t = toks[last];
  if (t?.k === 'name') return DICT_ALWAYS.has(t.v) && isOp(toks[last - 1], '|');
  if (!isOp(t, ')')) return false;
  const open = openingBracket(toks, last);
  const before = toks[open - 1];
  if (before?.k === 'name')
    return (
      (DICT_ALWAYS.has(before.v) && isOp(toks[open - 2], '|')) ||
      (before.v === 'dict' && !isOp(toks[open - 2], '|') && !isOp(toks[open - 2], '.'))
    );
  if (open < 0 || (before && (isOp(before, ')') || isOp(before, ']')))) return false;
  // a bracketed pipeline whose last filter at its own level is one of them
  let filter: string | undefined;
  for (let i = open + 1; i < last; i++) {
    if (isOp(toks[i], '(') || isOp(toks[i], '[') || isOp(toks[i], '{')) i = matchingBracket(toks, i);
    else if (isOp(toks[i], '|')) filter = toks[i + 1]?.v;
    if (i < 0) return false;
  }
  return filter !== undefined && DICT_ALWAYS.has(filter);
}

/**
 * `item.opts | list` (`first`, `join`, `map` ...) of a dict bound in the template: the engine
 * would hand the filter the keys sorted. A plain path before such a filter goes through its kept
 * order: `(P|__quorum_keys if P is mapping else P)` (a var path's own is ordered.ts's).
 */
export function iterationOrderEdits(toks: Tok[]): OrderEdit[][] {
  const out: OrderEdit[][] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const prev = toks[i - 1];
    if (isOp(t, '|') && ITERATING.has(toks[i + 1]?.v) && alwaysDict(toks, i - 1))
      out.push([{ start: prev.end, end: prev.end, text: '|__quorum_keys' }]);
    if (t.k !== 'name' || KEYWORDS.has(t.v) || t.v.startsWith('__quorum_')) continue;
    if (isOp(prev, '.') || isOp(prev, '|') || prev?.v === 'is') continue;
    const end = plainPathEnd(toks, i, undefined);
    const [bar, filter] = [toks[end + 1], toks[end + 2]];
    const path = tokensText(toks.slice(i, end + 1));
    if (isOp(bar, '|') && filter?.k === 'name' && ITERATING.has(filter.v) && path !== undefined)
      out.push([
        {
          start: t.start,
          end: toks[end].end,
          text: `(${path}|__quorum_keys if ${path} is mapping else ${path})`,
        },
      ]);
    i = end;
  }
  return out;
}
