/**
 * Conditions (when, changed_when, failed_when, until, assert's that) are Jinja2 expressions,
 * evaluated as ansible-core 2.19 does: the expression's value, which must be a boolean, with
 * Ansible's undefined rules (only `is defined`, `is undefined` and `default` may look at an
 * undefined value).
 */
import { InputError } from '../errors.ts';
import { jinjaCheck } from './jinja/check.ts';
import { evalCondition, JinjaError, JinjaUndefined } from './jinja/engine.ts';
import { fastCondition } from './jinja/fast.ts';
import { FilterError } from './jinja/filters.ts';
import { pyTruth, pyTypeName } from './jinja/values.ts';
import { isUnknown, Unknown } from './unknown.ts';

export class ExprError extends InputError {}

/** A condition that names a variable no one defined (`variable` is its path, e.g. out.rc). */
export class UndefinedInCondition extends ExprError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('EXPR_UNDEFINED', message, undefined, 'test it with `is defined`, or give it a `default(...)`');
  }
}

/**
 * The error for a condition on an undefined variable, without a JavaScript stack: it says what
 * the content lacks (its place comes from the task), and look-ahead and validate meet it for
 * every host of a task whose condition reads a registered value.
 */
function undefinedIn(src: string, path: string): UndefinedInCondition {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new UndefinedInCondition(path, `"${path}" is undefined in condition: ${src}`);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export interface ExprResult {
  value: boolean;
  /** Set when the answer depends on a value known only after apply. */
  unknown?: Unknown;
  /** The first condition of a `when` list that was false, as written. */
  falseCondition?: unknown;
}

/**
 * A condition must give a boolean, as ansible-core 2.19 has it (2.14 took Python's truth of any
 * value: `when: name` with name "no" was true). `| bool` converts text such as "yes".
 */
function mustBeBoolean(value: unknown, src: string | number): boolean {
  if (typeof value === 'boolean') return value;
  throw new ExprError(
    'EXPR_NOT_BOOLEAN',
    `Conditional result (${pyTruth(value) ? 'True' : 'False'}) was derived from value of type '${pyTypeName(value)}' in condition: ${src}. Conditionals must have a boolean result.`,
    undefined,
    "compare it (`x | length > 0`, `x != ''`) or convert it (`x | bool`), as ansible-core 2.19 requires",
  );
}

export function evaluateCondition(src: string | boolean | number, vars: Record<string, unknown>): ExprResult {
  if (typeof src === 'boolean') return { value: src };
  if (typeof src === 'number') return { value: mustBeBoolean(src, src) };
  let r: { value: unknown; unknown: boolean; missing?: string };
  try {
    r = fastCondition(src, vars) ?? evalCondition(src, vars);
  } catch (e) {
    if (e instanceof JinjaUndefined) throw undefinedIn(src, e.path);
    if (e instanceof JinjaError || e instanceof FilterError)
      throw new ExprError('EXPR', `${e.message} in condition: ${src}`);
    throw e;
  }
  if (r.missing !== undefined) throw undefinedIn(src, r.missing);
  if (r.unknown || isUnknown(r.value))
    return {
      value: pyTruth(r.value),
      unknown: new Unknown(`condition uses a value known after apply: ${src}`),
    };
  return { value: mustBeBoolean(r.value, src) };
}

/** A `when:` may be one condition or a list of them (all must hold). */
export function evaluateWhen(when: unknown, vars: Record<string, unknown>): ExprResult {
  const list = Array.isArray(when) ? when : [when];
  let unknown: Unknown | undefined;
  for (const cond of list) {
    const r = evaluateCondition(cond as string | boolean, vars);
    unknown ??= r.unknown;
    if (!r.value) return { value: false, unknown, falseCondition: cond };
  }
  return { value: true, unknown };
}

/** Parse only: used by `quorum validate` to reject bad expressions before anything runs. */
export function checkExpression(src: string): void {
  const problem = jinjaCheck(src, true);
  if (problem) throw new ExprError('EXPR', `${problem.message} in condition: ${src}`);
}
