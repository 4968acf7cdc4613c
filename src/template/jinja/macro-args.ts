/**
 * An undefined variable handed to a template's own macro (`body_option("X", ssh_X)` in
 * linux-system-roles' ssh_config.j2): Jinja2 binds it as Undefined, and the macro may test it
 * (`override is defined`), so it is no error there, as in 2.19. Anywhere else it still is.
 */
import type { Block, Tok } from './scan.ts';

/** The names a template's `{% macro NAME(...) %}` blocks define. */
export function macroNames(blocks: Block[]): Set<string> {
  const names = new Set<string>();
  for (const b of blocks)
    if (b.kind === 'stmt' && b.toks[0]?.v === 'macro' && b.toks[1]?.k === 'name') names.add(b.toks[1].v);
  return names;
}

/**
 * The path toks[i..last] is a whole argument of a call of one of `macros`, by position or by
 * keyword (`m(a, x)`, `m(key=x)`).
 */
export function isMacroArgument(toks: Tok[], i: number, last: number, macros: Set<string>): boolean {
  if (macros.size === 0 || ![',', ')'].includes(toks[last + 1]?.v)) return false;
  let before = i - 1;
  if (toks[before]?.v === '=' && toks[before - 1]?.k === 'name') before -= 2;
  if (![',', '('].includes(toks[before]?.v)) return false;
  // back to the call's opening parenthesis, past nested ones
  let depth = 0;
  for (let j = before; j >= 0; j--) {
    const v = toks[j].v;
    if (v === ')' || v === ']' || v === '}') depth++;
    else if (v === '(' || v === '[' || v === '{') {
      if (depth === 0) {
        const callee = toks[j - 1];
        return v === '(' && callee?.k === 'name' && macros.has(callee.v) && toks[j - 2]?.v !== '.';
      }
      depth--;
    }
  }
  return false;
}
