/**
 * The small, safe expression language of `when`, `changed_when`, `failed_when` and `assert`.
 * Never JavaScript eval. Grammar (lowest precedence first):
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | compare
 *   compare := filtered (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not in') filtered)?
 *              | filtered 'is' ['not'] TEST
 *   filtered:= primary ('|' FILTER ['(' args ')'])*
 *   primary := number | 'string' | "string" | true | false | none | [list]
 *              | name ('.' name | '[' expr ']')* | '(' expr ')'
 *
 * TEST: defined, undefined, none, true, false, string, number, succeeded, failed, changed,
 * skipped. FILTER: bool, int, float, string, length, lower, upper, default(x), trim.
 */
import { ExprError, lex, type Tok } from './expr-lex.ts';

export { ExprError };

import { isUnknown, type Unknown } from './unknown.ts';

/**
 * A variable (or attribute) that does not exist. As with Ansible's strict undefined, only
 * `is defined`/`is undefined` and `default(...)` may look at it: comparing it, testing its truth
 * or filtering it is an error that names it, never a silent false.
 */
class Undefined {
  constructor(readonly path: string) {}
}
const isUndef = (v: unknown): v is Undefined => v instanceof Undefined;
function used(v: unknown): unknown {
  if (isUndef(v))
    throw new ExprError(
      'EXPR_UNDEFINED',
      `"${v.path}" is undefined`,
      undefined,
      'test it with `is defined`, or give it a `default(...)`',
    );
  return v;
}

function truthy(v: unknown): boolean {
  if (isUnknown(v)) return true;
  used(v);
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function toBool(v: unknown): boolean {
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y', 't'].includes(v.toLowerCase());
  return truthy(v);
}

const KNOWN_FILTERS = new Set(['bool', 'int', 'float', 'string', 'trim', 'lower', 'upper', 'length']);

class Evaluator {
  private i = 0;
  unknown: Unknown | undefined;
  constructor(
    private readonly toks: Tok[],
    private readonly vars: Record<string, unknown>,
    private readonly src: string,
    /** Parse only (validate): no variable has a value yet, so filters get nothing to refuse. */
    private readonly parseOnly = false,
  ) {}

  run(): unknown {
    const v = this.or();
    if (this.i < this.toks.length) this.fail(`unexpected "${this.tokText(this.toks[this.i])}"`);
    return v;
  }

  private tokText(t: Tok): string {
    return String(t.v);
  }
  private fail(msg: string): never {
    throw new ExprError('EXPR', `${msg} in expression: ${this.src}`);
  }
  private peekIs(t: Tok['t'], v?: string): boolean {
    const tok = this.toks[this.i];
    return tok !== undefined && tok.t === t && (v === undefined || tok.v === v);
  }
  private eat(t: Tok['t'], v?: string): Tok {
    if (!this.peekIs(t, v)) this.fail(`expected ${v ?? t}`);
    return this.toks[this.i++];
  }
  private note(v: unknown): unknown {
    if (isUnknown(v) && !this.unknown) this.unknown = v;
    return v;
  }

  private or(): unknown {
    let v = this.and();
    while (this.peekIs('id', 'or')) {
      this.i++;
      const r = this.and();
      v = truthy(v) || truthy(r);
    }
    return v;
  }
  private and(): unknown {
    let v = this.not();
    while (this.peekIs('id', 'and')) {
      this.i++;
      const r = this.not();
      v = truthy(v) && truthy(r);
    }
    return v;
  }
  private not(): unknown {
    if (this.peekIs('id', 'not')) {
      this.i++;
      return !truthy(this.not());
    }
    return this.compare();
  }
  private compare(): unknown {
    const left = this.filtered();
    const t = this.toks[this.i];
    if (t?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      const right = this.filtered();
      const a = used(left);
      const b = used(right);
      switch (t.v) {
        case '==':
          return JSON.stringify(a) === JSON.stringify(b);
        case '!=':
          return JSON.stringify(a) !== JSON.stringify(b);
        case '<':
          return (a as number) < (b as number);
        case '<=':
          return (a as number) <= (b as number);
        case '>':
          return (a as number) > (b as number);
        default:
          return (a as number) >= (b as number);
      }
    }
    if (this.peekIs('id', 'in') || (this.peekIs('id', 'not') && this.toks[this.i + 1]?.v === 'in')) {
      const negate = this.peekIs('id', 'not');
      this.i += negate ? 2 : 1;
      const container = used(this.filtered());
      used(left);
      let found: boolean;
      if (typeof container === 'string') found = container.includes(String(left));
      else if (Array.isArray(container))
        found = container.some((x) => JSON.stringify(x) === JSON.stringify(left));
      else if (container && typeof container === 'object') found = String(left) in container;
      else found = false;
      return negate ? !found : found;
    }
    if (this.peekIs('id', 'is')) {
      this.i++;
      let negate = false;
      if (this.peekIs('id', 'not')) {
        this.i++;
        negate = true;
      }
      const test = this.eat('id').v as string;
      const r = this.test(test, left);
      return negate ? !r : r;
    }
    return left;
  }
  private test(name: string, v: unknown): boolean {
    const result = v as { failed?: boolean; changed?: boolean; skipped?: boolean } | undefined;
    switch (name) {
      case 'defined':
        return !isUndef(v);
      case 'undefined':
        return isUndef(v);
      case 'none':
        return v === null;
      case 'true':
        return v === true;
      case 'false':
        return v === false;
      case 'string':
        return typeof v === 'string';
      case 'number':
        return typeof v === 'number';
      case 'failed':
        return Boolean(result?.failed);
      case 'succeeded':
      case 'success':
        return !result?.failed;
      case 'changed':
        return Boolean(result?.changed);
      case 'skipped':
        return Boolean(result?.skipped);
      default:
        return this.fail(`unknown test "${name}"`);
    }
  }
  private filtered(): unknown {
    let v = this.primary();
    while (this.peekIs('op', '|')) {
      this.i++;
      const name = this.eat('id').v as string;
      const args: unknown[] = [];
      if (this.peekIs('op', '(')) {
        this.i++;
        while (!this.peekIs('op', ')')) {
          args.push(this.or());
          if (this.peekIs('op', ',')) this.i++;
          else break;
        }
        this.eat('op', ')');
      }
      v = this.filter(name, v, args);
    }
    return v;
  }
  private filter(name: string, v: unknown, args: unknown[]): unknown {
    if (isUnknown(v)) return v;
    if (name === 'default') return isUndef(v) ? args[0] : v;
    if (isUndef(v) && !this.parseOnly) used(v);
    if (isUndef(v) && !KNOWN_FILTERS.has(name)) this.fail(`unknown filter "${name}"`);
    if (isUndef(v)) return v;
    switch (name) {
      case 'bool':
        return toBool(v);
      case 'int':
        return Number.parseInt(String(v), 10) || 0;
      case 'float':
        return Number.parseFloat(String(v)) || 0;
      case 'string':
        return String(v);
      case 'trim':
        return String(v).trim();
      case 'lower':
        return String(v).toLowerCase();
      case 'upper':
        return String(v).toUpperCase();
      case 'length':
        return Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys(v ?? {}).length;
      default:
        return this.fail(`unknown filter "${name}"`);
    }
  }
  private primary(): unknown {
    const t = this.toks[this.i++];
    if (!t) this.fail('unexpected end');
    if (t.t === 'num' || t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = this.or();
      this.eat('op', ')');
      return v;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: unknown[] = [];
      while (!this.peekIs('op', ']')) {
        items.push(this.or());
        if (this.peekIs('op', ',')) this.i++;
        else break;
      }
      this.eat('op', ']');
      return items;
    }
    if (t.t !== 'id') this.fail(`unexpected "${t.v}"`);
    const word = t.v as string;
    if (word === 'true' || word === 'True') return true;
    if (word === 'false' || word === 'False') return false;
    if (word === 'none' || word === 'None' || word === 'null') return null;
    let path = word;
    let v: unknown = word in this.vars ? this.vars[word] : new Undefined(word);
    for (;;) {
      if (this.peekIs('op', '.')) {
        this.i++;
        const key = this.toks[this.i++];
        if (!key || (key.t !== 'id' && key.t !== 'num')) this.fail('expected a name after "."');
        path += `.${key.v}`;
        v = this.member(v, String(key.v), path);
      } else if (this.peekIs('op', '[')) {
        this.i++;
        const key = this.or();
        this.eat('op', ']');
        path += `[${JSON.stringify(key)}]`;
        v = this.member(v, key, path);
      } else break;
    }
    return this.note(v);
  }
  private member(v: unknown, key: unknown, path: string): unknown {
    if (isUnknown(v)) return v;
    // the first missing link names the undefined value: a.b.c with a missing is "a"
    if (isUndef(v)) return v;
    // parse only (validate): nothing has a value, so nothing is undefined either
    if (this.parseOnly && (v === null || v === undefined)) return undefined;
    if (v === null || typeof v !== 'object') return new Undefined(path);
    if (Array.isArray(v) && typeof key === 'number') {
      const i = key < 0 ? v.length + key : key;
      return i >= 0 && i < v.length ? v[i] : new Undefined(path);
    }
    const k = String(key);
    return k in (v as object) ? (v as Record<string, unknown>)[k] : new Undefined(path);
  }
}

export interface ExprResult {
  value: boolean;
  /** Set when the answer depends on a value known only after apply. */
  unknown?: Unknown;
}

export function evaluateCondition(src: string | boolean | number, vars: Record<string, unknown>): ExprResult {
  if (typeof src === 'boolean') return { value: src };
  if (typeof src === 'number') return { value: src !== 0 };
  const ev = new Evaluator(lex(src), vars, src);
  const value = truthy(ev.run());
  return ev.unknown ? { value, unknown: ev.unknown } : { value };
}

/** A `when:` may be one condition or a list of them (all must hold). */
export function evaluateWhen(when: unknown, vars: Record<string, unknown>): ExprResult {
  const list = Array.isArray(when) ? when : [when];
  let unknown: Unknown | undefined;
  for (const cond of list) {
    const r = evaluateCondition(cond as string | boolean, vars);
    unknown ??= r.unknown;
    if (!r.value) return { value: false, unknown };
  }
  return { value: true, unknown };
}

/** Parse only: used by `quorum validate` to reject bad expressions before anything runs. */
export function checkExpression(src: string): void {
  const ev = new Evaluator(lex(src), new Proxy({}, { has: () => true, get: () => undefined }), src, true);
  ev.run();
}
