/**
 * Dicts in the order Python keeps them. minijinja (as built for npm) stores every map sorted by
 * key, so a dict loses its written order as soon as it enters the engine: `{{ d | combine(x) }}`
 * inside text, `{'z': 1, 'a': 2} | to_json`, `dict(z=1, a=2)` would print sorted where Ansible
 * keeps insertion order. What crosses into the engine (the host's vars, filter and lookup
 * results, dict literals and `dict()` calls of the template) leaves its key order here, by the
 * set of its keys; what comes back out (fromEngine: a filter's argument, a printed or captured
 * value) is put back in that order. The engine's own iteration (`for k in x | combine(y)`) stays
 * sorted: it never leaves the engine.
 *
 * Two dicts of the same keys in different orders are told apart by their values (up to
 * SAMPLES of each order are kept); a literal's order has no values and serves its key set alone.
 */
import { state } from './render-state.ts';

const SAMPLES = 8;
/** Key sets by a key order's text: most dicts of a run come in a few orders, sorted once each. */
const signatures = new Map<string, string>();

/** `keys`, a dict's in the order it was made, remembered with the dict (a sample of its values) if given. */
export function rememberOrder(keys: string[], sample?: object): void {
  if (keys.length < 2) return;
  const text = keys.join('\u0000');
  let sig = signatures.get(text);
  if (sig === undefined) {
    sig = [...keys].sort().join('\u0000');
    if (signatures.size > 10_000) signatures.clear();
    signatures.set(text, sig);
  }
  const known = state.orders.get(sig);
  const same = known?.find((o) => o.text === text);
  if (same) {
    if (sample && same.samples.length < SAMPLES) same.samples.push(sample);
    return;
  }
  const entry = { text, keys, samples: sample ? [sample] : [] };
  if (known) known.push(entry);
  else state.orders.set(sig, [entry]);
}

/** The key orders of every dict in `v` (a value handed to the engine), remembered; `v` returned. */
export function keepOrders<T>(v: T): T {
  if (Array.isArray(v)) for (const x of v) keepOrders(x);
  else if (v !== null && typeof v === 'object') {
    rememberOrder(Object.keys(v), v);
    for (const x of Object.values(v)) keepOrders(x);
  }
  return v;
}

/** `__quorum_order('z', 'a')`: a dict literal's keys, as written (the first of a repeated key keeps its place). */
export function literalOrder(...keys: unknown[]): true {
  rememberOrder([...new Set(keys.map(String))]);
  return true;
}

/** A JSON text of `v` that does not depend on key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return typeof v === 'bigint' ? String(v) : JSON.stringify(v ?? null);
}

/** `d` (built from an engine map, so sorted) in the order it was handed over in, if known. */
export function reordered(d: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(d);
  if (keys.length < 2 || state.orders.size === 0) return d;
  const known = state.orders.get(keys.join('\u0000'));
  if (!known) return d;
  let order = known.length === 1 ? known[0] : undefined;
  if (!order) {
    const text = canonical(d);
    order = known.find((o) => o.samples.some((s) => canonical(s) === text));
  }
  if (!order) return d;
  const out: Record<string, unknown> = {};
  for (const k of order.keys) out[k] = d[k];
  return out;
}

/** Python's `dict(pairs)`: a dict made from key-value pairs (or a dict), in their order. */
function dictOfPairs(v: unknown): Record<string, unknown> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return { ...(v as Record<string, unknown>) };
  if (!Array.isArray(v)) throw new Error(`'${v === null ? 'NoneType' : typeof v}' object is not iterable`);
  const out: Record<string, unknown> = {};
  for (const [i, pair] of v.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new Error(
        `dictionary update sequence element #${i} has length ${Array.isArray(pair) ? pair.length : typeof pair === 'string' ? pair.length : 1}; 2 is required`,
      );
    out[String(pair[0])] = pair[1];
  }
  return out;
}

/** A dict's `items()`, `keys()` or `values()` as lists, in its kept order (fromEngine restored it). */
export const DICT_METHODS: Record<string, (d: unknown) => unknown> = {
  __quorum_dict: dictOfPairs,
  __quorum_items: (d) => Object.entries(dictOf(d, 'items')),
  __quorum_keys: (d) => Object.keys(dictOf(d, 'keys')),
  __quorum_values: (d) => Object.values(dictOf(d, 'values')),
};

function dictOf(d: unknown, method: string): Record<string, unknown> {
  if (d === null || typeof d !== 'object' || Array.isArray(d))
    throw new Error(
      `${d === null ? 'None' : Array.isArray(d) ? 'list' : typeof d} object has no attribute '${method}'`,
    );
  return d as Record<string, unknown>;
}
