/**
 * The minijinja environment with Ansible's filters, tests, lookups and quorum's own helpers
 * (capture of a render's value, Python's text, Ansible's undefined and missing-key errors).
 * The render's state the helpers record lives in render-state.ts.
 */
import { createRequire } from 'node:module';
import type { Environment } from 'minijinja-js';
import { deriveSecret } from '../secret-taint.ts';
import { timedelta } from './datetime.ts';
import { NONE_MARKER } from './default-none.ts';
import { DICT_METHODS, keepOrders, literalOrder } from './dict-order.ts';
import { dig, elementOf } from './element-of.ts';
import { FILTERS } from './filters.ts';
import { JinjaError, JinjaUndefined } from './jinja-error.ts';
import { JINJA2_FILTERS } from './jinja2-filters.ts';
import { lookup } from './lookups.ts';
import { markerOf } from './marker-chains.ts';
import { callPluginFilter, pluginFilters, pluginFilterVersion } from './python-filters.ts';
import { guard, refuseHuge, state } from './render-state.ts';
import { TESTS } from './tests.ts';
import { nowGlobal } from './time-filters.ts';
import { fromEngine, pyStr } from './values.ts';

const added = new WeakMap<Environment, number>();

/** A callback whose value goes back into the engine: guarded, and its dicts' key orders kept. */
function handing<A extends unknown[]>(f: (...a: A) => unknown): (...a: A) => unknown {
  const guarded = guard(f);
  return (...a: A) => keepOrders(guarded(...a));
}

/** The Python filter plugins learned since `e` was made (python-filters.ts), added to it. */
export function addPluginFilters(e: Environment): void {
  if (added.get(e) === pluginFilterVersion()) return;
  for (const f of pluginFilters()) {
    const call = handing((v: unknown, ...a: unknown[]) =>
      callPluginFilter(f, fromEngine(v), a.map(fromEngine)),
    );
    if (f.kind === 'test') e.addTest(f.engineName, (v: unknown, ...a: unknown[]) => call(v, ...a) === true);
    else e.addFilter(f.engineName, call);
  }
  added.set(e, pluginFilterVersion());
}

/** Ansible's `omit`: a parameter whose value is this is left out. */
export const OMIT = '__omit_place_holder__quorum__';

export function createEnvironment(): Environment {
  const { Environment } = createRequire(import.meta.url)('minijinja-js') as typeof import('minijinja-js');
  const e = new Environment();
  e.enablePyCompat();
  e.undefinedBehavior = 'strict';
  // Ansible's template settings: trim_blocks on; trailing newlines as renderText says
  e.trimBlocks = true;
  e.keepTrailingNewline = false;
  e.fuel = 50_000_000;
  for (const [name, f] of Object.entries({ ...FILTERS, ...JINJA2_FILTERS, ...DICT_METHODS }))
    e.addFilter(
      name,
      handing((v: unknown, ...a: unknown[]) => f(fromEngine(v), ...a.map(fromEngine))),
    );
  addPluginFilters(e);
  for (const [name, t] of Object.entries(TESTS))
    e.addTest(
      name,
      guard((v: unknown, ...a: unknown[]) => t(fromEngine(v), ...a.map(fromEngine))),
    );
  e.addFilter(
    '__quorum_str',
    // Ansible's finalize: None prints as nothing inside text ("x={{ none }}" is "x=")
    guard((v: unknown, text: unknown) => {
      const value = v === undefined ? null : fromEngine(v);
      const out =
        value === null ? '' : typeof v === 'number' || typeof v === 'bigint' ? String(text) : pyStr(value);
      state.printed = { count: state.printed.count + 1, value, text: out };
      return out;
    }),
  );
  // Python's str() of a `~` operand or a `string` filter's value (py-str-edits.ts)
  e.addFilter(
    '__quorum_pystr',
    guard((v: unknown, text: unknown) => {
      const value = v === undefined ? null : fromEngine(v);
      return typeof v === 'number' || typeof v === 'bigint' ? String(text) : pyStr(value);
    }),
  );
  e.addFilter(
    '__quorum_none',
    handing((v: unknown) => (v === NONE_MARKER ? null : fromEngine(v))),
  );
  e.addFilter(
    '__quorum_taint',
    guard((text: unknown) => {
      deriveSecret(String(text));
      return text;
    }),
  );
  e.addFilter(
    '__quorum_cap',
    guard((v: unknown, text: unknown) => {
      state.capturedText = String(text);
      refuseHuge(state.capturedText.length);
      state.captured = fromEngine(v);
      return '';
    }),
  );
  // an undefined variable handed to ternary: fails only if picked (marker-chains.ts)
  e.addGlobal(
    '__quorum_marker',
    guard((path: unknown) => markerOf(String(path))),
  );
  e.addGlobal(
    '__quorum_missing',
    guard((path: unknown) => {
      throw new JinjaUndefined(String(path));
    }),
  );
  // an index or attribute of a computed value, as Jinja takes it, failing as Ansible does where
  // it is not there (chains.ts)
  e.addFilter(
    '__quorum_at',
    handing((v: unknown, key: unknown) => elementOf(fromEngine(v), fromEngine(key))),
  );
  // a step of a guarded chain (guarded-chains.ts): past a missing key, UNREACHED
  e.addFilter(
    '__quorum_dig',
    handing((v: unknown, key: unknown) => dig(fromEngine(v), fromEngine(key))),
  );
  // an index or key that is not there gives Jinja's Undefined, which Ansible refuses to print
  e.addGlobal(
    '__quorum_undefined_result',
    guard(() => {
      throw new JinjaError(
        'the expression gives an undefined value (an index, key or attribute that does not exist)',
      );
    }),
  );
  e.addGlobal('omit', OMIT);
  e.addGlobal(
    '__quorum_timedelta',
    handing((a: unknown, b: unknown, what: unknown) =>
      timedelta(fromEngine(a), fromEngine(b), fromEngine(what)),
    ),
  );
  // a dict literal's key order, before the engine sorts it (dict-order.ts)
  e.addGlobal('__quorum_order', guard(literalOrder));
  e.addGlobal(
    'now',
    handing((...args: unknown[]) => nowGlobal(...args.map(fromEngine))),
  );
  const lookupFn = (wantList: boolean) =>
    handing((name: unknown, ...terms: unknown[]) => lookup(String(name), terms.map(fromEngine), wantList));
  e.addGlobal('lookup', lookupFn(false));
  e.addGlobal('query', lookupFn(true));
  e.addGlobal('q', lookupFn(true));
  return e;
}
