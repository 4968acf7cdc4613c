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

/** JSON's name for a value's type, as a schema says it. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

const showValue = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export interface ParamProblem {
  /** The top-level parameter at fault (where to point in the file). */
  key: string;
  message: string;
  hint?: string;
}

/**
 * One of ajv's errors for a set of parameters in the user's words: which parameter (a dotted
 * path for a nested one), what was given, what is allowed, and a did-you-mean for a misspelt
 * name or enum value. `names` are the parameters there are.
 */
export function explainParam(
  err: ErrorObject,
  params: unknown,
  names: readonly string[],
  /** Parameters whose values are never shown (a role's `secret: true` ones). */
  secrets: readonly string[] = [],
): ParamProblem {
  const path = err.instancePath.split('/').slice(1).join('.');
  const top = err.instancePath.split('/')[1];
  const hidden = top !== undefined && secrets.includes(top);
  const given = valueAt(params, err.instancePath);
  const shown = (v: unknown) => (hidden ? '(secret, not shown)' : showValue(v));
  switch (err.keyword) {
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      return {
        key: top ?? missing,
        message: `missing required parameter "${path ? `${path}.` : ''}${missing}"`,
      };
    }
    case 'additionalProperties': {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      const guess = path ? undefined : didYouMean(extra, names);
      return {
        key: top ?? extra,
        message: `unknown parameter "${path ? `${path}.` : ''}${extra}"`,
        hint: guess ? `did you mean "${guess}"?` : `parameters: ${names.join(', ')}`,
      };
    }
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues;
      const guess =
        typeof given === 'string' && !hidden
          ? didYouMean(
              given,
              allowed.filter((a) => typeof a === 'string'),
            )
          : undefined;
      return {
        key: top ?? '',
        message: `parameter "${path}" is ${shown(given)}; allowed: ${allowed.map((a) => String(a)).join(', ')}`,
        hint: guess ? `did you mean "${guess}"?` : undefined,
      };
    }
    case 'type': {
      const want = String((err.params as { type: string | string[] }).type).split(',');
      return {
        key: top ?? '',
        message: `parameter "${path}" is ${shown(given)} (${typeName(given)}); expected ${want.join(' or ')}`,
      };
    }
    default:
      return { key: top ?? '', message: `parameter "${path}" is ${shown(given)}: it ${err.message}` };
  }
}
