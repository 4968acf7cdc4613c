/**
 * Jinja2 source, cut into its code blocks and their tokens, with offsets into the source. The
 * engine (minijinja) parses and runs templates; this scan exists for what it cannot tell us:
 * which variables a template reads (so only those cross into WASM, and undefined ones get
 * Ansible's semantics), and which filters, tests and lookups it names (so validate can refuse
 * unknown ones with a place before any host is touched).
 */
import { GENERAL_FILTERS } from './general-filters.ts';
import { collectionFilter } from './python-filters.ts';
export type TokKind = 'name' | 'str' | 'num' | 'op';
export interface Tok {
  k: TokKind;
  v: string;
  start: number;
  end: number;
  /** A filter or test named by its FQCN (`ansible.builtin.flatten`): `v` is the short name. */
  fqcn?: true;
}
export interface Block {
  /** `print` is {{ }}, `stmt` is {% %}; both hold code. */
  kind: 'print' | 'stmt';
  /** Offsets of the code between the delimiters and their whitespace-control marks. */
  start: number;
  end: number;
  /** Offsets of the opening delimiter and just past the closing one; the marks as written. */
  open: number;
  close: number;
  marks: [string, string];
  toks: Tok[];
}

/** Whether token `t` is the operator `v`. */
export const isOp = (t: Tok | undefined, v: string): boolean => t?.k === 'op' && t.v === v;

export class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const OPS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '.',
  ',',
  ':',
  '|',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '=',
  '!',
];

function tokenize(src: string, from: number, to: number): Tok[] {
  const toks: Tok[] = [];
  let i = from;
  while (i < to) {
    const c = src[i];
    // Jinja2's lexer skips \s+ of Python's regex: Unicode spaces too (a no-break space in consul's templates)
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || wideSpace(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < to && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      if (j >= to) throw new ScanError('unterminated string', i);
      toks.push({ k: 'str', v: src.slice(i + 1, j), start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    const rest = src.slice(i, Math.min(to, i + 64));
    // right after a dot, only an integer (Jinja's lexer: `item.0.1` is item[0][1], no float 0.1)
    const num = (src[i - 1] === '.' ? /^\d[\d_]*/ : /^\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?/).exec(rest);
    if (num) {
      toks.push({ k: 'num', v: num[0], start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w]*/.exec(src.slice(i, to));
    if (name) {
      toks.push({ k: 'name', v: name[0], start: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ScanError(`unexpected character "${c}"`, i);
    toks.push({ k: 'op', v: op, start: i, end: i + op.length });
    i += op.length;
  }
  return toks;
}

const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Index of the bracket closing the one (`(`, `[` or `{`) that opens at `i`, or -1. */
export function matchingBracket(toks: Tok[], i: number): number {
  const open = toks[i].v;
  const close = PAIRS[open];
  let depth = 0;
  for (let j = i; j < toks.length; j++) {
    if (toks[j].k !== 'op') continue;
    if (toks[j].v === open) depth++;
    else if (toks[j].v === close && --depth === 0) return j;
  }
  return -1;
}

/** Collections whose filters and tests are quorum's own under their short names. */
export const BUILTIN_COLLECTIONS = ['ansible.builtin.', 'ansible.legacy.'];
/** Filters of other collections that quorum has, by their full names. */
export const COLLECTION_FILTERS = new Set([
  'community.general.json_query',
  ...['ipaddr', 'ipv4', 'ipv6', 'ipwrap', 'ipmath', 'nthhost', 'ipsubnet', 'cidr_merge'].map(
    (f) => `ansible.utils.${f}`,
  ),
  ...[
    'network_in_usable',
    'network_in_network',
    'next_nth_usable',
    'previous_nth_usable',
    'usable_range',
    'ip4_hex',
  ].map((f) => `ansible.utils.${f}`),
  ...['hwaddr', 'macaddr', 'to_paths'].map((f) => `ansible.utils.${f}`),
  ...Object.keys(GENERAL_FILTERS).map((f) => `community.general.${f}`),
]);

/** `ansible.builtin.X` after `|` or `is` (`is not`) as one token X covering the whole name. */
function collapseFqcn(toks: Tok[]): Tok[] {
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const prev = out[out.length - 1];
    const named =
      (prev?.k === 'op' && prev.v === '|') ||
      prev?.v === 'is' ||
      (prev?.v === 'not' && out[out.length - 2]?.v === 'is');
    const parts = toks.slice(i, i + 5);
    const dotted =
      parts.length === 5 &&
      parts.every((t, j) => (j % 2 === 0 ? t.k === 'name' : t.k === 'op' && t.v === '.')) &&
      parts.every((t, j) => j === 0 || t.start === parts[j - 1].end);
    const prefix = dotted ? `${parts[0].v}.${parts[2].v}.` : '';
    // a collection's Python filter or test quorum lacks (python-filters.ts): the engine knows it by another name
    const plugin =
      named && dotted && !BUILTIN_COLLECTIONS.includes(prefix) && !COLLECTION_FILTERS.has(prefix + parts[4].v)
        ? collectionFilter(prefix + parts[4].v, prev?.v === '|' ? 'filter' : 'test')
        : undefined;
    if (named && (BUILTIN_COLLECTIONS.includes(prefix) || COLLECTION_FILTERS.has(prefix + parts[4]?.v))) {
      out.push({ k: 'name', v: parts[4].v, start: parts[0].start, end: parts[4].end, fqcn: true });
      i += 4;
    } else if (plugin) {
      out.push({ k: 'name', v: plugin.engineName, start: parts[0].start, end: parts[4].end, fqcn: true });
      i += 4;
    } else out.push(toks[i]);
  }
  return out;
}

/**
 * The end of a code block that starts at `from`, skipping strings; -1 when it is not closed.
 * As Jinja2's lexer, a closer inside open brackets is not one: `{{ {'a': {'b': 1}} }}`.
 */
function closeOf(src: string, from: number, closer: string): number {
  let i = from;
  let depth = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (depth === 0 && src.startsWith(closer, i)) return i;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    i++;
  }
  return -1;
}

/** Every code block of a template, or of a bare expression when `expression` is set. */
export function scan(src: string, expression = false): Block[] {
  if (expression)
    return [
      {
        kind: 'print',
        start: 0,
        end: src.length,
        open: 0,
        close: src.length,
        marks: ['', ''],
        toks: collapseFqcn(tokenize(src, 0, src.length)),
      },
    ];
  const blocks: Block[] = [];
  let i = 0;
  for (;;) {
    const open = src.slice(i).search(/\{[{%#]/);
    if (open < 0) return blocks;
    const at = i + open;
    const kind = src[at + 1];
    if (kind === '#') {
      const end = src.indexOf('#}', at + 2);
      if (end < 0) throw new ScanError('comment is not closed with #}', at);
      i = end + 2;
      continue;
    }
    const closer = kind === '{' ? '}}' : '%}';
    let start = at + 2;
    if (src[start] === '-' || src[start] === '+') start++;
    const close = closeOf(src, start, closer);
    if (close < 0) throw new ScanError(`"${src.slice(at, at + 2)}" is not closed with "${closer}"`, at);
    const end = src[close - 1] === '-' || src[close - 1] === '+' ? close - 1 : close;
    const toks = collapseFqcn(tokenize(src, start, end));
    const marks: [string, string] = [src.slice(at + 2, start), src.slice(end, close)];
    blocks.push({
      kind: kind === '{' ? 'print' : 'stmt',
      start,
      end,
      open: at,
      close: close + 2,
      marks,
      toks,
    });
    i = close + 2;
    if (kind === '%' && toks[0]?.v === 'raw') {
      const endraw = /\{%-?\s*endraw\s*-?%\}/.exec(src.slice(i));
      if (!endraw) throw new ScanError('{% raw %} without {% endraw %}', at);
      i += endraw.index + endraw[0].length;
    }
  }
}

const wideSpace = (c: string) => c > '\x7f' && c !== '\ufeff' && /\s/.test(c);

/**
 * `src` with the Unicode spaces between its blocks' tokens made ASCII spaces, one for one (the
 * offsets stay): Jinja2 takes them as whitespace, the engine refuses them.
 */
export function asciiSpaces(src: string, blocks: Block[]): string {
  if (!/[\u0080-\uffff]/.test(src)) return src;
  const out = src.split('');
  let changed = false;
  for (const b of blocks) {
    let at = b.start;
    for (const t of [...b.toks, { start: b.end, end: b.end }]) {
      for (let i = at; i < t.start; i++)
        if (wideSpace(out[i])) {
          out[i] = ' ';
          changed = true;
        }
      at = t.end;
    }
  }
  return changed ? out.join('') : src;
}

/** Line and column (1-based) of an offset. */
export function lineCol(src: string, offset: number): { line: number; col: number } {
  const before = src.slice(0, offset).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}
