/**
 * Python's in-place list and dict methods in a template (`{% set _ = l.append(x) %}`,
 * `{{ d.update({...}) }}`), which the engine's immutable values cannot run, rewritten to what
 * they do: the variable lives in a namespace (whose attributes a loop body can set, as the
 * mutation reaches past the loop in Jinja2) and each call sets it anew: `l + [x]`,
 * `l + (x)|list`, `d | combine(x)` (dict.update: same keys replaced in place, new ones added).
 * Only the shape real roles write is rewritten: the variable made by a `{% set %}` of the
 * template outside any loop or macro, the call alone in its `{% set %}` or `{{ }}`; anything
 * else is left to the check's refusal.
 */
import { type Block, matchingBracket, ScanError, scan, type Tok } from './scan.ts';

const METHODS = new Set(['append', 'extend', 'update']);
/** Statements whose body is a scope of its own (a `set` there does not reach past it). */
const SCOPES: Record<string, string> = {
  for: 'endfor',
  macro: 'endmacro',
  call: 'endcall',
  filter: 'endfilter',
};
const NS = '__quorum_mut';

interface Call {
  block: Block;
  /** `{% if X.append(y) %}{% endif %}`: the endif that goes with the call (the body never runs: the call gives None). */
  endif?: Block;
  name: string;
  method: string;
  /** The argument's text, with the variables rewritten renamed (renamedArg). */
  arg: string;
  /** The argument's tokens (their offsets in the template). */
  argToks: Tok[];
  /** Offset of the method's name (what the check refuses). */
  at: number;
}

export interface MutationRewrite {
  source: string;
  /** Offsets of the method names rewritten: the check does not refuse them. */
  handled: Set<number>;
}

/** The call `X.method(...)` that is the whole code of block `b` after `from`, or undefined. */
function wholeCall(b: Block, source: string, from: number): Omit<Call, 'block'> | undefined {
  const t = b.toks;
  const [x, dot, m, paren] = [t[from], t[from + 1], t[from + 2], t[from + 3]];
  if (x?.k !== 'name' || dot?.v !== '.' || m?.k !== 'name' || !METHODS.has(m.v) || paren?.v !== '(')
    return undefined;
  const close = matchingBracket(t, from + 3);
  if (close !== t.length - 1 || close === from + 4) return undefined;
  return {
    name: x.v,
    method: m.v,
    arg: source.slice(t[from + 4].start, t[close - 1].end),
    argToks: t.slice(from + 4, close),
    at: m.start,
  };
}

/** Each mutation call of the template, in the shape rewritten; undefined if one is not. */
function callsOf(source: string, blocks: Block[]): Call[] | undefined {
  const calls: Call[] = [];
  for (const [i, b] of blocks.entries()) {
    const t = b.toks;
    const mutates = t.some((tok, i) => METHODS.has(tok.v) && t[i - 1]?.v === '.' && t[i + 1]?.v === '(');
    if (!mutates) continue;
    const isSet = b.kind === 'stmt' && t[0]?.v === 'set' && t[1]?.k === 'name' && t[2]?.v === '=';
    // `{% if l.append(x) %}{% endif %}` (ansible-community.consul): the call's None is false
    const next = blocks[i + 1];
    const isIf =
      b.kind === 'stmt' &&
      t[0]?.v === 'if' &&
      next?.kind === 'stmt' &&
      next.toks.length === 1 &&
      next.toks[0].v === 'endif';
    const call =
      b.kind === 'print'
        ? wholeCall(b, source, 0)
        : isSet
          ? wholeCall(b, source, 3)
          : isIf
            ? wholeCall(b, source, 1)
            : undefined;
    if (!call) return undefined;
    calls.push({ ...call, block: b, ...(isIf ? { endif: next } : {}) });
  }
  return calls;
}

/** Whether `name` is only ever set outside loops and macros, set before its first call, and never a loop's or macro's own name. */
function setAtTop(blocks: Block[], name: string, firstCall: number): boolean {
  const open: string[] = [];
  let setBefore = false;
  for (const b of blocks) {
    const t = b.toks;
    if (b.kind !== 'stmt' || !t[0]) continue;
    const word = t[0].v;
    if (SCOPES[word]) {
      // a loop variable or macro argument of the same name hides the one the template set
      const own =
        word === 'for'
          ? t.slice(
              1,
              t.findIndex((x) => x.v === 'in'),
            )
          : word === 'macro'
            ? t
            : [];
      if (own.some((x) => x.k === 'name' && x.v === name)) return false;
      open.push(SCOPES[word]);
    } else if (word === open.at(-1)) open.pop();
    else if (word === 'set' && t[1]?.v === name && t[2]?.v !== '.') {
      if (open.length) return false;
      if (b.start < firstCall) setBefore = true;
    }
  }
  return setBefore;
}

/** Statements with a body, and what ends each (an `if` too: a set under it may not run). */
const BODIES: Record<string, string> = { ...SCOPES, if: 'endif', with: 'endwith', block: 'endblock' };

/**
 * Whether `name` lives in one loop's body (debops' sysctl: `{% set is_writable = [] %}` in a
 * for, appended to in a for inside it): first met as a `{% set %}`, set again only in that body
 * or under an if of it (no scope of its own), and named nowhere outside it. Its namespace copy is then set anew at each
 * round, as the loop body's own variable is, and read nowhere it would not be.
 */
function setInOneLoop(blocks: Block[], name: string): boolean {
  const open: Array<{ end: string; word: string; at: number }> = [];
  let home: number[] | undefined;
  for (const [i, b] of blocks.entries()) {
    const t = b.toks;
    const word = b.kind === 'stmt' ? t[0]?.v : undefined;
    if (word !== undefined && word === open.at(-1)?.end) {
      open.pop();
      continue;
    }
    const here = open.map((o) => o.at);
    if (t.some((x, j) => x.k === 'name' && x.v === name && isHead(t, j))) {
      const isSet = word === 'set' && t[1]?.v === name && t[2]?.v === '=';
      if (!home) {
        if (!isSet || open.some((o) => SCOPES[o.word] && o.word !== 'for')) return false;
        home = here;
      } else if (here.slice(0, home.length).join() !== home.join()) return false;
      // set again under an if of that body (debops' apt): an if is no scope, so the same variable
      else if (isSet && open.slice(home.length).some((o) => o.word !== 'if')) return false;
    }
    if (
      word === 'for' &&
      t
        .slice(
          1,
          t.findIndex((x) => x.v === 'in'),
        )
        .some((x) => x.v === name)
    )
      return false;
    if (word && BODIES[word]) open.push({ end: BODIES[word], word, at: i });
  }
  return home !== undefined;
}

/** The `set` statement doing what the call does, on the namespace's copy of the variable. */
function setOf(call: Call): string {
  const mine = `${NS}.${call.name}`;
  const value =
    call.method === 'append'
      ? `${mine} + [${call.arg}]`
      : call.method === 'extend'
        ? `${mine} + ((${call.arg})|list)`
        : `${mine} | combine(${call.arg})`;
  return `set ${mine} = ${value}`;
}

/** The call's argument with each rewritten variable it names read from the namespace. */
function renamedArg(call: Call, names: Set<string>): string {
  const base = call.argToks[0].start;
  let out = '';
  let at = 0;
  call.argToks.forEach((t, i) => {
    if (t.k !== 'name' || !names.has(t.v) || !isHead(call.argToks, i)) return;
    // a keyword argument of the same name (`dict(t=1)`) is not the variable
    if (call.argToks[i + 1]?.v === '=' && call.argToks[i + 2]?.v !== '=') return;
    out += `${call.arg.slice(at, t.start - base)}${NS}.${t.v}`;
    at = t.end - base;
  });
  return out + call.arg.slice(at);
}

const isHead = (t: Tok[], i: number) => t[i - 1]?.v !== '.' && t[i - 1]?.v !== '|' && t[i - 1]?.v !== 'is';

export function rewriteMutations(source: string): MutationRewrite | undefined {
  if (!/\.\s*(append|extend|update)\s*\(/.test(source)) return undefined;
  let blocks: Block[];
  try {
    blocks = scan(source, false);
  } catch (e) {
    if (e instanceof ScanError) return undefined;
    throw e;
  }
  const calls = callsOf(source, blocks);
  if (!calls?.length) return undefined;
  const names = new Set(calls.map((c) => c.name));
  for (const name of names) {
    const first = Math.min(...calls.filter((c) => c.name === name).map((c) => c.block.start));
    if (!setAtTop(blocks, name, first) && !setInOneLoop(blocks, name)) return undefined;
  }
  const edits: Array<{ start: number; end: number; text: string }> = [];
  // an argument reading a rewritten variable (`t.update({'n': t.n + 1})`) reads the namespace's copy
  for (const c of calls) c.arg = renamedArg(c, names);
  const byBlock = new Map(calls.map((c) => [c.block, c]));
  const endifs = new Set(calls.flatMap((c) => (c.endif ? [c.endif] : [])));
  for (const b of blocks) {
    if (endifs.has(b)) continue;
    const call = byBlock.get(b);
    if (call?.endif) {
      // the if and its endif, and what lies between (never output), one `{% set %}`
      edits.push({
        start: b.open,
        end: call.endif.close,
        text: `{%${b.marks[0]} ${setOf(call)} ${call.endif.marks[1]}%}`,
      });
      continue;
    }
    if (call) {
      const set = setOf(call);
      // a {{ }} call printed None (nothing); a {{ }} stays, so the newline after it stays too
      edits.push(
        b.kind === 'stmt'
          ? { start: b.start, end: b.end, text: ` ${set} ` }
          : { start: b.open, end: b.close, text: `{%${b.marks[0]} ${set} %}{{ '' ${b.marks[1]}}}` },
      );
      continue;
    }
    b.toks.forEach((t, i) => {
      if (t.k !== 'name' || !names.has(t.v) || !isHead(b.toks, i)) return;
      // a keyword argument of the same name (`dict(l=1)`) is not the variable
      const setTarget = b.kind === 'stmt' && b.toks[0].v === 'set' && i === 1;
      if (!setTarget && b.toks[i + 1]?.v === '=' && b.toks[i + 2]?.v !== '=') return;
      edits.push({ start: t.start, end: t.end, text: `${NS}.${t.v}` });
    });
  }
  // the namespace first, right before the template's first block (its whitespace mark kept)
  const first = blocks[0];
  edits.push({
    start: first.open,
    end: first.open,
    text: `{%${first.marks[0] === '-' ? '-' : ''} set ${NS} = namespace() %}`,
  });
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return { source: out + source.slice(at), handled: new Set(calls.map((c) => c.at)) };
}

// the rewrite of each text, kept: a template renders again for every host and task
const rewritten = new Map<string, string>();

/** `source` with its in-place calls rewritten, or as it is where there are none. */
export function withoutMutations(source: string): string {
  let out = rewritten.get(source);
  if (out === undefined) {
    out = rewriteMutations(source)?.source ?? source;
    if (rewritten.size > 5000) rewritten.clear();
    rewritten.set(source, out);
  }
  return out;
}

/** Python's methods that change a list or dict in place (`l.append(x)` inside a loop): some are rewritten above. */
export const MUTATORS = new Set([
  'append',
  'extend',
  'insert',
  'remove',
  'pop',
  'clear',
  'update',
  'setdefault',
  'sort',
  'reverse',
]);

const inPlace = new Map<string, boolean>();

/** Whether a template file calls such a method in a shape not rewritten here (the engine cannot run it). */
export function hasInPlaceCall(source: string): boolean {
  if (!/\.\s*(append|extend|insert|remove|pop|clear|update|setdefault|sort|reverse)\s*\(/.test(source))
    return false;
  let found = inPlace.get(source);
  if (found === undefined) {
    let blocks: Block[];
    try {
      blocks = scan(source, false);
    } catch (e) {
      if (!(e instanceof ScanError)) throw e;
      return false;
    }
    const handled = rewriteMutations(source)?.handled ?? new Set<number>();
    found = blocks.some((b) =>
      b.toks.some(
        (t, i) =>
          t.k === 'name' &&
          MUTATORS.has(t.v) &&
          b.toks[i - 1]?.k === 'op' &&
          b.toks[i - 1].v === '.' &&
          b.toks[i + 1]?.v === '(' &&
          !handled.has(t.start),
      ),
    );
    if (inPlace.size > 5000) inPlace.clear();
    inPlace.set(source, found);
  }
  return found;
}
