/** ajv's errors, turned into located messages: file:line:col, what was expected, did you mean. */
import type { ErrorObject } from 'ajv';
import { InputError, type SourceLocation } from '../errors.ts';
import { entryLocation, locationOf } from '../yaml/load.ts';

export function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = levenshtein(word.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Walk a JSON pointer (ajv's instancePath) through loaded YAML to the node's location. */
export function locate(root: unknown, pointer: string, fallback: SourceLocation): SourceLocation {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  let where = (node && typeof node === 'object' ? locationOf(node) : undefined) ?? fallback;
  for (const part of parts) {
    if (!node || typeof node !== 'object') break;
    where = entryLocation(node, part) ?? where;
    node = (node as Record<string, unknown>)[part];
  }
  return where;
}

function describe(err: ErrorObject): string {
  const at = err.instancePath ? err.instancePath.split('/').filter(Boolean).pop() : undefined;
  const field = at !== undefined && Number.isNaN(Number(at)) ? `"${at}"` : 'value';
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown key "${(err.params as { additionalProperty: string }).additionalProperty}"`;
    case 'required':
      return `missing required key "${(err.params as { missingProperty: string }).missingProperty}"`;
    case 'enum':
      return `${field} must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${field} must be ${(err.params as { type: string }).type}`;
    default:
      return `${field} ${err.message}`;
  }
}

/** The most useful of ajv's errors: unknown keys and missing keys beat anyOf/oneOf noise,
 * and deeper errors beat their parents. */
export function mostUseful(errors: ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) =>
    e.keyword === 'additionalProperties'
      ? 0
      : e.keyword === 'required'
        ? 1
        : e.keyword === 'anyOf' || e.keyword === 'oneOf'
          ? 3
          : 2;
  return [...errors].sort((a, b) => rank(a) - rank(b) || b.instancePath.length - a.instancePath.length)[0];
}

export function toInputError(
  errors: ErrorObject[],
  root: unknown,
  file: SourceLocation,
  knownKeys: (pointer: string) => readonly string[] = () => [],
): InputError {
  const err = mostUseful(errors);
  let pointer = err.instancePath;
  let hint: string | undefined;
  if (err.keyword === 'additionalProperties') {
    const key = (err.params as { additionalProperty: string }).additionalProperty;
    pointer = `${pointer}/${key}`;
    const guess = didYouMean(key, knownKeys(err.instancePath));
    hint = guess ? `did you mean "${guess}"?` : `allowed keys: ${knownKeys(err.instancePath).join(', ')}`;
  }
  return new InputError('SCHEMA', describe(err), locate(root, pointer, file), hint);
}
