/**
 * Python's `ast.literal_eval` for one INI value, which is how Ansible types INI inventory
 * values: `8080` is an int, `True` a bool, `None` null, `0x1F` 31, `1e3` a float, `(1, 2)` and
 * `[..]` lists, `{..}` dicts, `'a' 'b'` the string "ab". Anything that is not a Python literal
 * (a bare word, `007`, `a b`) yields `undefined` and the caller keeps the raw string.
 */
import { PY_SIMPLE_ESCAPES } from '../py-escapes.ts';

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string; fstring: boolean }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string };

class NotLiteral extends Error {}

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const NUMBER = new RegExp(
  String.raw`^(?:` +
    String.raw`(?<float>(?:${DIGITS})?\.${DIGITS}(?:[eE][-+]?${DIGITS})?|${DIGITS}\.(?:[eE][-+]?${DIGITS})?|${DIGITS}[eE][-+]?${DIGITS})` +
    String.raw`|(?<hex>0[xX](?:_?[0-9a-fA-F])+)|(?<oct>0[oO](?:_?[0-7])+)|(?<bin>0[bB](?:_?[01])+)` +
    String.raw`|(?<dec>[1-9](?:_?[0-9])*|0(?:_?0)*)` +
    String.raw`)(?<imag>[jJ])?`,
);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#') break; // a Python comment ends the expression
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    const str = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(src.slice(i));
    if (str && /^(?:|r|u|b|f|br|rb|fr|rf)$/i.test(str[1])) {
      const [token, end] = readString(src, i + str[0].length, str[2], str[1].toLowerCase());
      tokens.push(token);
      i = end;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = NUMBER.exec(src.slice(i));
      if (!m) throw new NotLiteral();
      const after = src[i + m[0].length] ?? '';
      if (/[\p{L}\p{N}_.]/u.test(after)) throw new NotLiteral(); // `007`, `1abc`, `1.2.3`
      if (m.groups?.imag) throw new NotLiteral(); // complex numbers have no JSON form
      const g = m.groups ?? {};
      const clean = m[0].replace(/_/g, '');
      let value: number;
      if (g.hex) value = Number.parseInt(clean.slice(2), 16);
      else if (g.oct) value = Number.parseInt(clean.slice(2), 8);
      else if (g.bin) value = Number.parseInt(clean.slice(2), 2);
      else value = Number(clean);
      tokens.push({ kind: 'num', value });
      i += m[0].length;
      continue;
    }
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if ('()[]{},:+-'.includes(c)) {
      tokens.push({ kind: 'op', value: c });
      i++;
      continue;
    }
    throw new NotLiteral();
  }
  return tokens;
}

function readString(src: string, start: number, quote: string, prefix: string): [Token, number] {
  const raw = prefix.includes('r');
  const bytes = prefix.includes('b');
  let out = '';
  let i = start;
  for (;;) {
    if (i >= src.length) throw new NotLiteral();
    if (src.startsWith(quote, i))
      return [{ kind: 'str', value: out, fstring: prefix.includes('f') }, i + quote.length];
    const c = src[i];
    if (c === '\n' && quote.length === 1) throw new NotLiteral();
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const next = src[i + 1];
    if (next === undefined) throw new NotLiteral();
    if (raw) {
      out += c + next;
      i += 2;
      continue;
    }
    if (next in PY_SIMPLE_ESCAPES) {
      out += PY_SIMPLE_ESCAPES[next];
      i += 2;
    } else if (/[0-7]/.test(next)) {
      const m = /^[0-7]{1,3}/.exec(src.slice(i + 1))![0];
      out += String.fromCodePoint(Number.parseInt(m, 8));
      i += 1 + m.length;
    } else if (next === 'x' || (!bytes && (next === 'u' || next === 'U'))) {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = src.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotLiteral();
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += 2 + len;
    } else {
      out += c + next; // unknown escapes keep their backslash, as in Python
      i += 2;
    }
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): unknown {
    const value = this.exprList([]);
    if (this.pos !== this.tokens.length) throw new NotLiteral();
    return value;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.value === value;
  }
  private expectOp(value: string) {
    if (!this.isOp(value)) throw new NotLiteral();
    this.pos++;
  }

  /** `a, b` at top level or inside parentheses is a tuple. */
  private exprList(closers: string[]): unknown {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.pos++;
      const t = this.peek();
      if (!t || (t.kind === 'op' && closers.includes(t.value))) break;
      items.push(this.expr());
    }
    return items;
  }

  private expr(): unknown {
    const left = this.unary();
    // literal_eval allows `a + bj` / `a - bj` only for complex numbers, which JSON cannot hold
    if (this.isOp('+') || this.isOp('-')) throw new NotLiteral();
    return left;
  }

  private unary(): unknown {
    if (this.isOp('-') || this.isOp('+')) {
      const negative = this.isOp('-');
      this.pos++;
      const t = this.peek();
      if (t?.kind !== 'num') throw new NotLiteral();
      this.pos++;
      return negative ? -t.value : t.value;
    }
    return this.atom();
  }

  private atom(): unknown {
    const t = this.peek();
    if (!t) throw new NotLiteral();
    this.pos++;
    if (t.kind === 'num') return t.value;
    if (t.kind === 'str') {
      if (t.fstring) throw new NotLiteral();
      let s = t.value;
      while (this.peek()?.kind === 'str') {
        const next = this.tokens[this.pos++] as Extract<Token, { kind: 'str' }>;
        if (next.fstring) throw new NotLiteral();
        s += next.value;
      }
      return s;
    }
    if (t.kind === 'name') {
      if (t.value === 'True') return true;
      if (t.value === 'False') return false;
      if (t.value === 'None') return null;
      throw new NotLiteral();
    }
    if (t.value === '(') {
      if (this.isOp(')')) {
        this.pos++;
        return [];
      }
      const inner = this.exprList([')']);
      this.expectOp(')');
      return inner;
    }
    if (t.value === '[') return this.sequence(']');
    if (t.value === '{') return this.braces();
    throw new NotLiteral();
  }

  private sequence(closer: string): unknown[] {
    const items: unknown[] = [];
    while (!this.isOp(closer)) {
      items.push(this.expr());
      if (!this.isOp(',')) break;
      this.pos++;
    }
    this.expectOp(closer);
    return items;
  }

  /** `{}` is a dict; `{1, 2}` a set, which Ansible's JSON writes as a list. */
  private braces(): unknown {
    if (this.isOp('}')) {
      this.pos++;
      return {};
    }
    const first = this.expr();
    if (!this.isOp(':')) {
      const rest = [first];
      while (this.isOp(',')) {
        this.pos++;
        if (this.isOp('}')) break;
        rest.push(this.expr());
      }
      this.expectOp('}');
      return rest;
    }
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.expectOp(':');
      if (Array.isArray(key) || (key !== null && typeof key === 'object')) throw new NotLiteral();
      dict[dictKey(key)] = this.expr();
      if (!this.isOp(',')) break;
      this.pos++;
      if (this.isOp('}')) break;
      key = this.expr();
    }
    this.expectOp('}');
    return dict;
  }
}

function dictKey(key: unknown): string {
  if (key === true) return 'true';
  if (key === false) return 'false';
  if (key === null) return 'null';
  return String(key);
}

export type LiteralResult = { ok: true; value: unknown } | { ok: false };

export function pyLiteralEval(src: string): LiteralResult {
  try {
    const tokens = tokenize(src.replace(/^[ \t]+/, ''));
    if (tokens.length === 0) return { ok: false };
    return { ok: true, value: new Parser(tokens).parseAll() };
  } catch (e) {
    if (e instanceof NotLiteral) return { ok: false };
    throw e;
  }
}

/** INI value typing: the literal when there is one, else the text itself. */
export function iniValue(raw: string): unknown {
  const result = pyLiteralEval(raw);
  return result.ok ? result.value : raw;
}
