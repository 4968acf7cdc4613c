/**
 * Variables whose values hold templates themselves (`url: "{{ base }}/x"`), rendered when a
 * source uses them, as Ansible does; render.ts gives the renderer (it renders whole values).
 */

import { MissingVariable } from '../plain-path.ts';
import { isUnknown } from '../unknown.ts';
import { isUnsafe } from '../unsafe.ts';
import { JinjaError, JinjaUndefined } from './jinja-error.ts';
import { isPathHead } from './rewrite.ts';
import type { Block } from './scan.ts';

/** Renders a variable's own value when it holds templates (set by render.ts). */
let renderValue: ((value: unknown, vars: Record<string, unknown>) => unknown) | undefined;
export function setValueRenderer(f: (value: unknown, vars: Record<string, unknown>) => unknown): void {
  renderValue = f;
}
/** Runs a render that may start inside a running one (a lookup's): on an engine of its own (set by engine.ts). */
let nest: <T>(f: () => T) => T = (f) => f();
export function setNesting(f: <T>(f: () => T) => T): void {
  nest = f;
}
let depth = 0;

/** A variable's value rendered as a use of it renders it (a lookup that reads variables by name). */
export function renderVarValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (!renderValue || !mentionsTemplate(value)) return value;
  if (depth > 20) throw new JinjaError("recursive loop detected in a variable's value");
  depth++;
  try {
    const render = renderValue;
    return nest(() => render(value, vars));
  } finally {
    depth--;
  }
}

/**
 * The `vars` magic variable: every variable, each templated one rendered on its own. One whose
 * template is undefined (a fact not gathered yet, a register still to come) is left out, as
 * ansible-core's lazy `vars[item]` is undefined for it alone: grafana_agent's
 * `when: vars[item] is not defined` over its own variables failed whole when one did not render.
 */
export function magicVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (!renderValue || !mentionsTemplate(v)) {
      out[k] = v;
      continue;
    }
    try {
      out[k] = renderVarValue(v, vars);
    } catch (e) {
      if (!(e instanceof MissingVariable || e instanceof JinjaUndefined)) throw e;
    }
  }
  return out;
}

// by identity, as src/plan/vars.ts: host lists shared by every host are walked once
const templated = new WeakMap<object, boolean>();

export function mentionsTemplate(v: unknown): boolean {
  if (isUnsafe(v)) return false; // !unsafe: never templated
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%');
  if (!v || typeof v !== 'object' || isUnknown(v)) return false;
  let found = templated.get(v);
  if (found === undefined) {
    found = Array.isArray(v) ? v.some(mentionsTemplate) : Object.values(v).some(mentionsTemplate);
    templated.set(v, found);
  }
  return found;
}

/**
 * As in Ansible, a variable whose value holds templates (`url: "{{ base }}/x"`) is rendered
 * when it is used, with the same vars: only the variables this source reads.
 */
export function withTemplatedValues(
  scope: Record<string, unknown>,
  blocks: Block[],
): Record<string, unknown> {
  let out = scope;
  // once per source, however often it names the variable: `{{ a }}{{ a }}` chained 18 deep was 2^18 renders
  const rendered = new Set<string>();
  for (const b of blocks)
    for (const [i, t] of b.toks.entries()) {
      if (
        !isPathHead(b.toks, i) ||
        rendered.has(t.v) ||
        !Object.hasOwn(scope, t.v) ||
        !mentionsTemplate(scope[t.v]) ||
        !renderValue
      )
        continue;
      if (depth > 20) throw new JinjaError(`recursive loop detected in the value of "${t.v}"`);
      depth++;
      try {
        if (out === scope) out = { ...scope };
        out[t.v] = renderValue(scope[t.v], scope);
        rendered.add(t.v);
      } catch (e) {
        // ansible-core 2.19 renders a variable's template when it is used: one that is undefined
        // makes the variable undefined (`x is defined` false, `x | default(y)` y); otherwise the
        // failure is its own, which names what inside it is undefined
        if (!(e instanceof MissingVariable || e instanceof JinjaUndefined) || !testsDefinedness(blocks))
          throw e;
        delete out[t.v];
        rendered.add(t.v);
      } finally {
        depth--;
      }
    }
  return out;
}

const DEFINEDNESS = new Set(['defined', 'undefined', 'default', 'd']);
function testsDefinedness(blocks: Block[]): boolean {
  return blocks.some((b) => b.toks.some((t) => DEFINEDNESS.has(t.v)));
}
