/**
 * Module arguments as Ansible's modules take them: parameter aliases (`dest` and `name` for
 * lineinfile's `path`), booleans written as yes/no/on/off/1/0 (the key=value form and
 * Jinja2 make text), and copy's `content` given as a dict or list, which Ansible writes as JSON. Types otherwise convert through the schema (ajv coerceTypes).
 */
import { InputError } from '../errors.ts';
import { pyJson } from '../template/jinja/json.ts';
import { containsUnknown } from '../template/unknown.ts';
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

const booleans = new WeakMap<object, string[]>();

function booleanKeys(mod: ModuleDef<unknown>): string[] {
  let keys = booleans.get(mod);
  if (!keys) {
    const props = (mod.schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
    keys = Object.entries(props)
      .filter(([, s]) => s.type === 'boolean')
      .map(([k]) => k);
    booleans.set(mod, keys);
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
  for (const k of booleanKeys(mod)) {
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
