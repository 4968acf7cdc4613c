/** An index or attribute of a computed value, as Jinja takes it (the engine's __quorum_at and __quorum_dig). */
import { isUnknown } from '../unknown.ts';
import { UNREACHED } from './guarded-chains.ts';
import { JinjaError } from './jinja-error.ts';
import { pyStr } from './values.ts';

/** `value[key]` as Jinja takes it (a list's index, negative too; a string's character; a mapping's key). */
export function elementOf(value: unknown, key: unknown): unknown {
  if (Array.isArray(value) || typeof value === 'string') {
    const n = typeof key === 'number' || typeof key === 'bigint' ? Number(key) : Number.NaN;
    const i = n < 0 ? value.length + n : n;
    if (Number.isInteger(i) && i >= 0 && i < value.length) return value[i];
    throw new JinjaError(
      Number.isInteger(n)
        ? `${Array.isArray(value) ? 'list' : 'str'} object has no element ${n}`
        : `'${Array.isArray(value) ? 'list' : 'str'} object' has no attribute '${pyStr(key)}'`,
    );
  }
  if (value !== null && typeof value === 'object' && !isUnknown(value) && Object.hasOwn(value, String(key)))
    return (value as Record<string, unknown>)[String(key)];
  if (isUnknown(value)) return value;
  const kind = value === null ? 'NoneType' : typeof value === 'object' ? 'dict' : typeof value;
  throw new JinjaError(`'${kind} object' has no attribute '${pyStr(key)}'`);
}

/** One step into a value, as Jinja's subscript takes it, or UNREACHED where there is nothing. */
export function dig(value: unknown, key: unknown): unknown {
  if (value === UNREACHED) return UNREACHED;
  try {
    return elementOf(value, key);
  } catch {
    return UNREACHED;
  }
}
