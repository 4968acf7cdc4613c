/**
 * The running render's state, which the engine's callbacks (environment.ts) record and the
 * render functions (engine.ts) read: the first error a callback raised, the captured value of an
 * expression, what a text template printed.
 */
import { JinjaError } from './jinja-error.ts';

export interface Order {
  /** The keys joined, in their order. */
  text: string;
  keys: string[];
  samples: object[];
}
/** Distinct key orders seen in this render, by the sorted key set they order. */
export type Orders = Map<string, Order[]>;
export const state = {
  /** A callback's error, raised when the engine returns (a callback must never throw into WASM). */
  pending: undefined as Error | undefined,
  captured: undefined as unknown,
  /** What a text template printed: how many `{{ }}`, and the last one's value and text. */
  printed: { count: 0, value: undefined as unknown, text: '' },
  /** The engine's own text of the captured value (2.0 for a float two). */
  capturedText: '',
  /** The key orders of the dicts handed to the engine in this render (dict-order.ts). */
  orders: new Map() as Orders,
};

/** A callback that records its error instead of throwing (a throw poisons the WASM instance). */
export function guard<A extends unknown[], R>(f: (...a: A) => R): (...a: A) => R | string {
  return (...a: A) => {
    try {
      return f(...a);
    } catch (e) {
      state.pending ??= e instanceof Error ? e : new Error(String(e));
      return '';
    }
  };
}

/** Characters one template may produce (Ansible has no bound; `'a' * 10**9` filled memory). */
export const MAX_TEMPLATE_CHARS = 64 * 1024 * 1024;

export function refuseHuge(length: number): void {
  if (length > MAX_TEMPLATE_CHARS)
    throw new JinjaError(
      `the result is ${Number.isFinite(length) ? `${(length / (1024 * 1024)).toFixed(0)} MiB of text` : 'longer than a JavaScript string can be'}, more than quorum's limit of ${MAX_TEMPLATE_CHARS / (1024 * 1024)} MiB for one template`,
    );
}
