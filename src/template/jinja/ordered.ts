/**
 * Uses of a dict that minijinja would answer in the wrong order or not at all, answered here
 * from the host's value instead. minijinja (as built for npm) keeps dicts sorted by key, where
 * Ansible (Python) keeps them in the order written: `d.items()`, `for k in d`, `d | dict2items`
 * and `d | to_json` would come out sorted. And `d.get(key, default)` with a default is not a
 * method minijinja has. Where the dict is a variable path and the arguments are literals, the
 * result is computed from the vars and passed in; anything else is left to the engine.
 */

import { ITERATING } from './dict-iteration-edits.ts';
import { FILTERS } from './filters.ts';
import { callPluginFilter, pluginByEngineName } from './python-filters.ts';
import { isOp, type Tok } from './scan.ts';

const isDict = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
/** A literal argument; text with an escape is left to the engine (the scanner keeps escapes as written). */
const literal = (t: Tok | undefined): unknown =>
  t?.k === 'str' && !t.v.includes('\\') ? t.v : t?.k === 'num' ? Number(t.v) : undefined;

const METHODS: Record<string, (d: Record<string, unknown>) => unknown> = {
  items: (d) => Object.entries(d),
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
};
const ORDERED_FILTERS = [
  'dict2items',
  'to_json',
  'to_nice_json',
  'to_yaml',
  'to_nice_yaml',
  'json_query',
  'to_ini',
];

const CONSTANTS: Record<string, unknown> = {
  true: true,
  True: true,
  false: false,
  False: false,
  none: null,
  None: null,
};
const constant = (t: Tok | undefined): unknown =>
  t?.k === 'name' && t.v in CONSTANTS ? CONSTANTS[t.v] : literal(t);

/** `(1, sort_keys=false)` from the `(` at `open`: the arguments as a filter takes them, when all are literals. */
function literalArgs(toks: Tok[], open: number): { args: unknown[]; close: number } | undefined {
  const args: unknown[] = [];
  const keywords: Record<string, unknown> = {};
  let i = open + 1;
  for (let guard = 0; guard < toks.length && !isOp(toks[i], ')'); guard++) {
    if (toks[i]?.k === 'name' && isOp(toks[i + 1], '=') && constant(toks[i + 2]) !== undefined) {
      keywords[toks[i].v] = constant(toks[i + 2]);
      i += 3;
    } else if (constant(toks[i]) !== undefined) args.push(constant(toks[i++]));
    else return undefined;
    if (isOp(toks[i], ',')) i++;
    else if (!isOp(toks[i], ')')) return undefined;
  }
  if (!isOp(toks[i], ')')) return undefined;
  if (Object.keys(keywords).length > 0) args.push(keywords);
  return { args, close: i };
}

/**
 * The value of the path ending at token `last` together with what follows it, when this is one
 * of the uses above: the last token it covers, and the value. `inFor` when the path is a for
 * loop's iterable.
 */
export function orderedUse(
  toks: Tok[],
  last: number,
  value: unknown,
  inFor: boolean,
): { end: number; value: unknown } | undefined {
  const [a, b, c, d, e, f] = toks.slice(last + 1, last + 7);
  // a Python filter plugin sees the dicts in the value in the order written, as in Ansible
  const plugin = isOp(a, '|') && b?.k === 'name' ? pluginByEngineName(b.v) : undefined;
  if (plugin) {
    if (!isOp(c, '(')) return { end: last + 2, value: callPluginFilter(plugin, value, []) };
    const call = literalArgs(toks, last + 3);
    if (call) return { end: call.close, value: callPluginFilter(plugin, value, call.args) };
  }
  // a serialising filter with no arguments, or literal ones, keeps the order of every dict inside the value
  if (isOp(a, '|') && b?.k === 'name' && ORDERED_FILTERS.includes(b.v)) {
    if (!isOp(c, '(')) return { end: last + 2, value: FILTERS[b.v](value) };
    const call = literalArgs(toks, last + 3);
    if (call) return { end: call.close, value: FILTERS[b.v](value, ...call.args) };
  }
  if (!isDict(value)) return undefined;
  if (isOp(a, '.') && b?.k === 'name' && isOp(c, '(')) {
    if (METHODS[b.v] && isOp(d, ')')) return { end: last + 4, value: METHODS[b.v](value) };
    if (b.v === 'get' && literal(d) !== undefined) {
      const key = String(literal(d));
      if (isOp(e, ')')) return { end: last + 5, value: value[key] ?? null };
      if (isOp(e, ',') && literal(f) !== undefined && isOp(toks[last + 7], ')'))
        return { end: last + 7, value: key in value ? value[key] : literal(f) };
    }
    return undefined;
  }
  // `d | list`, `d | join(',')`, `d | map(...)`: a filter that goes through d item by item gets its keys
  if (isOp(a, '|') && b?.k === 'name' && ITERATING.has(b.v)) return { end: last, value: Object.keys(value) };
  // `for k in d` (nothing after d but the end of the statement, or its `if`)
  if (inFor && (a === undefined || a.v === 'if' || a.v === 'recursive'))
    return { end: last, value: Object.keys(value) };
  return undefined;
}
