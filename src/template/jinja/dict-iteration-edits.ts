/**
 * The iteration rewrites of dict-order-edits.ts: a `for` over a dict, and the filters that go
 * through a dict key by key (`list`, `join`, `map` ...), list it in its kept order where the
 * tokens show it is a dict.
 */
import { KEYWORDS, type OrderEdit, openingBracket } from './dict-order-edits.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

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
