/**
 * Text Python makes of a boolean or None where minijinja writes `true`/`none`: a variable that
 * is an operand of `~` or piped to `string`. Ansible gives `--e=True`, `True`; minijinja
 * `--e=true`, `true` (`join` is a filter of quorum's: jinja2-filters.ts). Where the
 * variable is a plain path, its text is computed here from the host's value and passed in; any
 * other expression is left to the engine.
 */
import { isOp, type Tok } from './scan.ts';

const pyScalar = (v: unknown): string | undefined =>
  v === true ? 'True' : v === false ? 'False' : v === null ? 'None' : undefined;

/** The path from token `first` to `last`: its Python text and the last token it covers, when one of the uses above. */
export function pythonText(
  toks: Tok[],
  first: number,
  last: number,
  value: unknown,
): { end: number; value: string } | undefined {
  const [a, b, c] = toks.slice(last + 1, last + 4);
  const scalar = pyScalar(value);
  if (scalar !== undefined && (isOp(toks[first - 1], '~') || isOp(a, '~')))
    return { end: last, value: scalar };
  if (scalar !== undefined && isOp(a, '|') && b?.v === 'string' && !isOp(c, '('))
    return { end: last + 2, value: scalar };
  return undefined;
}
