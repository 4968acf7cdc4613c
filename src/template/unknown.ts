/**
 * A value that only exists after an apply (a join token, a command's output). In check mode it
 * flows through templates and expressions instead of a guess; anything built from it is a
 * prediction and is shown as "known after apply".
 */
// a global symbol: a role may hold another module instance of this file (roles load apart
// from the engine's bundle), where instanceof would not see the engine's Unknown
const TAG = Symbol.for('quorum.known-after-apply');

export class Unknown {
  readonly [TAG] = true;
  constructor(readonly reason: string) {}
  toString(): string {
    return UNKNOWN_SENTINEL;
  }
  toJSON(): string {
    return '(known after apply)';
  }
}

export const UNKNOWN_SENTINEL = '\u0000known-after-apply\u0000';

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === 'object' && v !== null && (v as { [TAG]?: boolean })[TAG] === true;
}

/** True when any part of a value (deeply) is unknown. */
export function containsUnknown(v: unknown): boolean {
  if (v instanceof Unknown) return true;
  if (typeof v === 'string') return v.includes(UNKNOWN_SENTINEL);
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === 'object') return Object.values(v).some(containsUnknown);
  return false;
}
