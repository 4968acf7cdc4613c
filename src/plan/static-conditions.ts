/**
 * What validate can tell of a condition before the run: true or false now whatever the run
 * does (it names nothing set during the run), so that a task certainly skipped is not checked.
 */
import { evaluateWhen } from '../template/expr.ts';

export function staticallyTrue(when: unknown, vars: Record<string, unknown>): boolean {
  try {
    const r = evaluateWhen(when, vars);
    return r.value && !r.unknown;
  } catch {
    return false;
  }
}

/** One of the conditions is false now and names nothing the run sets: false whatever the run does. */
export function ruledOut(when: unknown, vars: Record<string, unknown>, deferred: Set<string>): boolean {
  if (when === undefined) return false;
  return [when].flat().some((w) => staticallyFalse(w, vars) && !mentionsAny(w, deferred));
}

function mentionsAny(when: unknown, names: Set<string>): boolean {
  return (JSON.stringify(when).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).some((w) => names.has(w));
}

/** False now whatever the run does: a list of conditions is false when one of them is. */
export function staticallyFalse(when: unknown, vars: Record<string, unknown>): boolean {
  return [when].flat().some((w) => {
    try {
      const r = evaluateWhen(w, vars);
      return !r.value && !r.unknown;
    } catch {
      return false;
    }
  });
}
