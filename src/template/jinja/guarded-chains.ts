/**
 * ansible-core 2.19 lets a missing key anywhere in a chain of subscripts become an undefined
 * value that `default` and `is defined` then look at: `svc[os][version] | default(svc[os].default)
 * | default('x')` (robertdebock.logrotate). minijinja's strict mode fails on the second subscript
 * of a missing key instead, and its `default` gives '' for an undefined argument. So a chain of a
 * variable with a computed subscript is rewritten where a guard looks at it: before `is defined`
 * / `is undefined`, `d[a][b]` becomes `([d|__quorum_dig(a)|__quorum_dig(b)] | reject('equalto',
 * UNREACHED) | first)` (the value, or Jinja's own Undefined where a key is missing); before a
 * sequence of one-argument `default`s, the chain and the arguments become one list of which the
 * first defined value is taken.
 */
import { type Edit, guarded } from './chains.ts';
import { isOp, matchingBracket, type Tok } from './scan.ts';

/** What __quorum_dig returns past a missing key (never a value a playbook holds). */
export const UNREACHED = '\u0000quorum-unreached';

/** The subscripts after a variable's literal path (`d.a[k].b`: `[k]`, `.b`), or none if a call follows. */
function dynamicSegments(
  toks: Tok[],
  head: number,
): { segments: Array<[number, number]>; end: number } | undefined {
  let k = head;
  // the literal path first (`d.a['x']`): rewrite.ts resolves it
  for (;;) {
    const next = toks[k + 1];
    if (isOp(next, '.') && toks[k + 2]?.k === 'name' && !isOp(toks[k + 3], '(')) k += 2;
    else if (isOp(next, '[') && ['str', 'num'].includes(toks[k + 2]?.k) && isOp(toks[k + 3], ']')) k += 3;
    else break;
  }
  const segments: Array<[number, number]> = [];
  for (;;) {
    const next = toks[k + 1];
    if (isOp(next, '[')) {
      const close = matchingBracket(toks, k + 1);
      if (close < 0 || toks.slice(k + 2, close).some((t) => isOp(t, ':'))) return undefined;
      segments.push([k + 1, close]);
      k = close;
    } else if (segments.length && isOp(next, '.') && toks[k + 2]?.k === 'name' && !isOp(toks[k + 3], '(')) {
      segments.push([k + 1, k + 2]);
      k += 2;
    } else if (isOp(next, '(')) return undefined;
    else break;
  }
  return segments.length ? { segments, end: k } : undefined;
}

/** The edits that take a chain's subscripts through __quorum_dig (the chain is then a value or UNREACHED). */
function digEdits(toks: Tok[], segments: Array<[number, number]>): Edit[] {
  return segments.flatMap(([open, close]): Edit[] =>
    isOp(toks[open], '[')
      ? [
          { start: toks[open].start, end: toks[open].end, text: '|__quorum_dig(' },
          { start: toks[close].start, end: toks[close].end, text: ')' },
        ]
      : [
          {
            start: toks[open].start,
            end: toks[close].end,
            text: `|__quorum_dig(${JSON.stringify(toks[close].v)})`,
          },
        ],
  );
}

/** `| default(ARG)` filters right after `end`, one argument each: [pipe, ARG start, ARG end, close] per filter. */
function defaultsAfter(toks: Tok[], end: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  let k = end;
  while (isOp(toks[k + 1], '|') && ['default', 'd'].includes(toks[k + 2]?.v) && isOp(toks[k + 3], '(')) {
    const close = matchingBracket(toks, k + 3);
    if (close < 0 || close === k + 4) return out;
    // one argument only (`default(x, true)` is left to the engine)
    let depth = 0;
    for (let j = k + 4; j < close; j++) {
      if (['(', '[', '{'].some((o) => isOp(toks[j], o))) depth++;
      else if ([')', ']', '}'].some((o) => isOp(toks[j], o))) depth--;
      else if (depth === 0 && isOp(toks[j], ',')) return out;
    }
    out.push([k + 1, k + 4, close - 1, close]);
    k = close;
  }
  return out;
}

/**
 * `CHAIN | default(A) | default(B)` is the first of CHAIN, A, B that is defined: written as a
 * list of them (each chain through __quorum_dig) with the unreached and undefined ones left out.
 * minijinja's `default` cannot do it: an undefined argument gives ''.
 */
export function guardedChainEdits(toks: Tok[], isHead: (i: number) => boolean): Edit[] {
  const edits: Edit[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (!isHead(i)) continue;
    const chain = dynamicSegments(toks, i);
    if (!chain) continue;
    const defaults = defaultsAfter(toks, chain.end);
    if (defaults.length === 0 && !guarded(toks, chain.end + 1)) continue;
    edits.push({ start: toks[i].start, end: toks[i].start, text: '([' }, ...digEdits(toks, chain.segments));
    let last = chain.end;
    for (const [pipe, argStart, argEnd, close] of defaults) {
      edits.push({ start: toks[pipe].start, end: toks[argStart - 1].end, text: ', ' });
      const inner = isHead(argStart) ? dynamicSegments(toks, argStart) : undefined;
      if (inner && inner.end === argEnd) edits.push(...digEdits(toks, inner.segments));
      edits.push({ start: toks[close].start, end: toks[close].end, text: '' });
      last = close;
    }
    const drop = defaults.length ? "|reject('undefined')" : '';
    edits.push({
      start: toks[last].end,
      end: toks[last].end,
      text: `]${drop}|reject('equalto', ${JSON.stringify(UNREACHED)})|first)`,
    });
    i = last;
  }
  return edits;
}
