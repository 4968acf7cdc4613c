/**
 * The commonest conditions, answered without the engine: a variable path, `not` one, `is
 * [not] defined`, and `==`/`!=` against a string or integer literal. Loading the engine (WASM)
 * costs a run ~25 ms and ~25 MB; most playbooks need nothing more. Same semantics as the
 * engine path: Python's truth, undefined an error unless tested with `is defined`. Anything
 * else returns undefined and goes to the engine.
 */
import { isUnknown } from '../unknown.ts';
import { mentionsTemplate } from './templated-values.ts';
import { pyTruth } from './values.ts';

const PATH = String.raw`[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*`;
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'if',
  'else',
  'true',
  'false',
  'none',
  'True',
  'False',
  'None',
]);
const BARE = new RegExp(String.raw`^\s*(not\s+)?(${PATH})\s*$`);
const DEFINED = new RegExp(String.raw`^\s*(${PATH})\s+is\s+(not\s+)?defined\s*$`);
const COMPARE = new RegExp(String.raw`^\s*(${PATH})\s*(==|!=)\s*(?:'([^'\\]*)'|"([^"\\]*)"|(-?\d+))\s*$`);

const MISSING = Symbol('missing');
/** A value on the path holds templates: the engine renders it first (role defaults reach here unrendered). */
const TEMPLATED = Symbol('templated');
/** The part of the last path looked up that exists, plus the first part that does not (`a.b` of `a.b.c`). */
let missingAt = '';

function lookup(vars: Record<string, unknown>, path: string): unknown {
  // (a value that holds templates is what they render to: TEMPLATED below, for the engine)
  let v: unknown = vars;
  const parts = path.split('.');
  for (const [i, part] of parts.entries()) {
    if (isUnknown(v)) return v;
    if (typeof v === 'string' && mentionsTemplate(v)) return TEMPLATED;
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, part)) {
      missingAt = parts.slice(0, i + 1).join('.');
      return MISSING;
    }
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * The condition's value, or `missing`: the path of the undefined variable it reads (the caller
 * makes that its error: thrown here, it would be made twice, a cost on 1,000 hosts' look-ahead).
 */
export function fastCondition(
  src: string,
  vars: Record<string, unknown>,
): { value: unknown; unknown: boolean; missing?: string } | undefined {
  const defined = DEFINED.exec(src);
  if (defined && !KEYWORDS.has(defined[1])) {
    const v = lookup(vars, defined[1]);
    if (isUnknown(v)) return { value: true, unknown: true };
    if (v === TEMPLATED || mentionsTemplate(v)) return undefined;
    return { value: (v !== MISSING) !== Boolean(defined[2]), unknown: false };
  }
  const bare = BARE.exec(src);
  const compare = bare ? undefined : COMPARE.exec(src);
  const path = bare?.[2] ?? compare?.[1];
  if (!path || KEYWORDS.has(path.split('.')[0])) return undefined;
  const v = lookup(vars, path);
  if (v === MISSING) return { value: undefined, unknown: false, missing: missingAt };
  if (isUnknown(v)) return { value: true, unknown: true };
  if (v === TEMPLATED || mentionsTemplate(v)) return undefined;
  // a bare path is the variable's own value (expr.ts wants a boolean); `not` makes one
  if (bare) return { value: bare[1] ? !pyTruth(v) : v, unknown: false };
  const [, , op, single, double, int] = compare as RegExpExecArray;
  // only like with like: other pairs (a number against a string literal ...) go to the engine
  let equal: boolean;
  if (int !== undefined) {
    if (typeof v !== 'number' || typeof v === 'boolean') return undefined;
    equal = v === Number(int);
  } else {
    if (typeof v !== 'string') return undefined;
    equal = v === (single ?? double);
  }
  return { value: op === '==' ? equal : !equal, unknown: false };
}

/** The forms fastCondition reads (it may still hand one to the engine for its values' types). */
export function simpleCondition(src: string): boolean {
  const m = DEFINED.exec(src) ?? BARE.exec(src) ?? COMPARE.exec(src);
  const path = m ? (DEFINED.test(src) ? m[1] : (BARE.exec(src)?.[2] ?? m[1])) : undefined;
  return path !== undefined && !KEYWORDS.has(path.split('.')[0]);
}

/** A template whose every {{ }} is a plain variable path: nothing the engine needs to check. */
export function onlyPlainPaths(text: string): boolean {
  return (
    !text.includes('{%') &&
    !text.includes('{#') &&
    text.replace(new RegExp(String.raw`\{\{\s*${PATH}\s*\}\}`, 'g'), '').indexOf('{{') < 0
  );
}
