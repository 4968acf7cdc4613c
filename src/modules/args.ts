/**
 * Module arguments as Ansible's modules take them: parameter aliases (`dest` and `name` for
 * lineinfile's `path`), booleans written as yes/no/on/off/1/0 (the key=value form and
 * Jinja2 make text), copy's `content` given as a dict or list, which Ansible writes as JSON, and
 * a list, dict or boolean where a module takes text, as Python's str() of it, and text where it
 * takes a list, split at commas (check_type_list). Numbers convert through the schema (ajv
 * coerceTypes).
 */
import { InputError } from '../errors.ts';
import { pyJson } from '../template/jinja/json.ts';
import { pyStr } from '../template/jinja/values.ts';
import { containsUnknown } from '../template/unknown.ts';
import { isUnsafe } from '../template/unsafe.ts';
import { copyLocations } from '../yaml/load.ts';
import type { ModuleDef } from './types.ts';

const TRUE = new Set(['yes', 'on', 'true', 'y', '1', 't']);
const FALSE = new Set(['no', 'off', 'false', 'n', '0', 'f']);

/** The canonical name of each parameter given under an alias. */
export function canonicalKeys(
  mod: ModuleDef<unknown>,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const aliases = mod.paramAliases;
  if (!aliases) return params;
  const out: Record<string, unknown> = {};
  const renamed: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const to = aliases[k] && !(aliases[k] in params) ? aliases[k] : k;
    out[to] = v;
    if (to !== k) renamed[to] = k;
  }
  // errors about a parameter still point at the line it is written on
  copyLocations(params, out, renamed);
  return out;
}

/** ansible-core's action plugins that run no module: no argument spec converts their values. */
const ACTION_ONLY = new Set([
  'add_host',
  'assert',
  'debug',
  'fail',
  'group_by',
  'include_vars',
  'pause',
  'set_fact',
  'set_stats',
  'validate_argument_spec',
]);

const typed = new Map<string, WeakMap<object, string[]>>();

/** The parameters whose schema is exactly this type (not a choice of types). */
function keysOfType(mod: ModuleDef<unknown>, type: 'boolean' | 'string' | 'array'): string[] {
  let byMod = typed.get(type);
  if (!byMod) typed.set(type, (byMod = new WeakMap()));
  let keys = byMod.get(mod);
  if (!keys) {
    const props = (mod.schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
    keys = Object.entries(props)
      .filter(([, s]) => s.type === type)
      .map(([k]) => k);
    byMod.set(mod, keys);
  }
  return keys;
}

/** Booleans as text made booleans, after templates are rendered. */
export function ansibleArgs(
  mod: ModuleDef<unknown>,
  params: Record<string, unknown>,
): Record<string, unknown> {
  let out = params;
  for (const [k, v] of mod.ansibleFixed ? Object.entries(mod.ansibleFixed) : []) {
    if (k in params)
      throw new InputError(
        'PARAM',
        `${mod.name} has no parameter "${k}" in Ansible (it is quorum's, for TypeScript roles)`,
      );
    out = { ...out, [k]: v };
  }
  for (const k of mod.jsonParams ?? []) {
    const v = params[k];
    // a value known only after apply stays one (the step is then a prediction)
    if (v === null || typeof v !== 'object' || containsUnknown(v)) continue;
    // json.dumps with its defaults: ", " and ": ", non-ASCII escaped
    if (out === params) out = { ...params };
    out[k] = pyJson(v, {});
  }
  // a module's str type takes any value as Python's str() of it (a list in `name`: its repr);
  // action plugins that run no module keep what they are given
  for (const k of ACTION_ONLY.has(mod.name) ? [] : keysOfType(mod, 'string')) {
    const v = out[k];
    // text still marked unsafe is text (unsafeAsText unwraps it at run time)
    if (v === null || (typeof v !== 'object' && typeof v !== 'boolean') || containsUnknown(v) || isUnsafe(v))
      continue;
    if (out === params) out = { ...params };
    out[k] = pyStr(v);
  }
  // a list parameter given text or a number: check_type_list's comma split, a number's str()
  for (const k of ACTION_ONLY.has(mod.name) ? [] : keysOfType(mod, 'array')) {
    const v = out[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    if (typeof v === 'string' && (isUnsafe(v) || containsUnknown(v))) continue;
    if (out === params) out = { ...params };
    out[k] = typeof v === 'string' ? v.split(',') : [pyText(v)];
  }
  for (const k of keysOfType(mod, 'boolean')) {
    const v = params[k];
    if (typeof v !== 'string') continue;
    const word = v.trim().toLowerCase();
    if (TRUE.has(word) || FALSE.has(word)) {
      if (out === params) out = { ...params };
      out[k] = TRUE.has(word);
    }
  }
  return out;
}

/** A module's `str` parameter given a YAML scalar: Python's str() of it (True/False for booleans). */
export const pyText = (v: unknown): string => (v === true ? 'True' : v === false ? 'False' : String(v));
