/** The expression language's tokens (see expr.ts for the grammar). */
import { InputError } from '../errors.ts';

export class ExprError extends InputError {}

export type Tok =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

export function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' || toks.length === 0 || toks[toks.length - 1].t === 'op')) {
      toks.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ExprError('EXPR', `unterminated string in expression: ${src}`);
      toks.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const id = /^[A-Za-z_][\w]*/.exec(src.slice(i));
    if (id) {
      toks.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    const op = /^(==|!=|<=|>=|[<>()[\].,|])/.exec(src.slice(i));
    if (op) {
      toks.push({ t: 'op', v: op[0] });
      i += op[0].length;
      continue;
    }
    throw new ExprError(
      'EXPR',
      `unexpected "${c}" in expression: ${src}`,
      undefined,
      'see the README for the expression language',
    );
  }
  return toks;
}
