/**
 * What the engine spells otherwise than Jinja2: `item.1` (getattr by an integer) and a filter or
 * test named by its ansible.builtin name inside another's argument.
 */
import type { Edit } from './chains.ts';
import { isOp, type Tok } from './scan.ts';

/** `item.1` (Jinja's getattr by an integer, which minijinja does not parse) written `item[1]`. */
export function digitAttributeEdits(toks: Tok[]): Edit[] {
  const out: Edit[] = [];
  for (let i = 1; i + 1 < toks.length; i++) {
    const [before, dot, n] = [toks[i - 1], toks[i], toks[i + 1]];
    const owner =
      before.k === 'name' ||
      isOp(before, ')') ||
      isOp(before, ']') ||
      (before.k === 'num' && isOp(toks[i - 2], '.'));
    if (owner && isOp(dot, '.') && n.k === 'num' && /^\d+$/.test(n.v))
      out.push({ start: dot.start, end: n.end, text: `[${n.v}]` });
  }
  return out;
}

/** Filters and tests that take another's name as an argument (`map('ansible.builtin.fileglob')`). */
const BY_NAME = new Set(['map', 'select', 'reject', 'selectattr', 'rejectattr']);

/** An ansible.builtin filter or test named by its full name in such an argument: the engine knows the short one. */
export function namedByShortName(toks: Tok[], i: number): string | undefined {
  const m = /^ansible\.(?:builtin|legacy)\.(\w+)$/.exec(toks[i].v);
  if (!m) return undefined;
  let depth = 0;
  for (let j = i - 1; j >= 0; j--) {
    const v = toks[j].v;
    if (toks[j].k === 'op' && (v === ')' || v === ']' || v === '}')) depth++;
    else if (toks[j].k === 'op' && (v === '(' || v === '[' || v === '{')) {
      if (depth === 0) return v === '(' && BY_NAME.has(toks[j - 1]?.v ?? '') ? `'${m[1]}'` : undefined;
      depth--;
    }
  }
  return undefined;
}
