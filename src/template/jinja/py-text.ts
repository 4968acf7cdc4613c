/**
 * Text Python makes of a boolean or None where minijinja writes `true`/`none`: a variable that
 * is an operand of `~`, piped to `string`, or a list of such values piped to `join`. Ansible
 * gives `--e=True`, `True`, `True,None`; minijinja `--e=true`, `true`, `true,none`. Where the
 * variable is a plain path, its text is computed here from the host's value and passed in; any
 * other expression is left to the engine.
 */
import type { Tok } from './scan.ts';

const isOp = (t: Tok | undefined, v: string) => t?.k === 'op' && t.v === v;
const pyScalar = (v: unknown): string | undefined =>
  v === true ? 'True' : v === false ? 'False' : v === null ? 'None' : undefined;
const plain = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The path from token `first` to `last`: its Python text and the last token it covers, when one of the uses above. */
export function pythonText(
  toks: Tok[],
  first: number,
  last: number,
  value: unknown,
): { end: number; value: string } | undefined {
  const [a, b, c, d, e] = toks.slice(last + 1, last + 6);
  const scalar = pyScalar(value);
  if (scalar !== undefined && (isOp(toks[first - 1], '~') || isOp(a, '~')))
    return { end: last, value: scalar };
  if (scalar !== undefined && isOp(a, '|') && b?.v === 'string' && !isOp(c, '('))
    return { end: last + 2, value: scalar };
  if (Array.isArray(value) && value.every(plain) && value.some((v) => pyScalar(v) !== undefined)) {
    if (!isOp(a, '|') || b?.v !== 'join') return undefined;
    const text = (sep: string) => value.map((v) => pyScalar(v) ?? String(v)).join(sep);
    if (!isOp(c, '(')) return { end: last + 2, value: text('') };
    if (d?.k === 'str' && isOp(e, ')')) return { end: last + 5, value: text(d.v) };
  }
  return undefined;
}
