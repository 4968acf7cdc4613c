/**
 * Everything worth showing is a RunEvent. The pretty, plain and JSON-lines reporters are
 * consumers of the same stream; tests assert on it.
 */

import { maskSecrets, REDACTED } from '../errors.ts';
import type { FileDiff } from '../modules/types.ts';
import type { ShardInfo } from '../plan/shard.ts';

export type StepStatus = 'ok' | 'changed' | 'would_change' | 'failed' | 'skipped';
export type NodeStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface ChangeReport {
  summary: string;
  diff?: FileDiff;
}

export interface HostRecap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  /** Failed steps whose task said ignore_errors: shown, counted here, not failures. */
  ignored: number;
  /** Failed steps a block's rescue took over: shown, counted here, not failures. */
  rescued: number;
  /** Check mode: steps that may change, counted apart from those that will (`changed`). */
  maybe: number;
  /** Outside --limit: the host was only read (what a limited host needed from it). */
  readOnly?: true;
}

export type RunEvent =
  | {
      type: 'run_start';
      /** The run's id: the journal's, and what a host's pending handlers name (pending-handlers.ts). */
      runId: string;
      playbook: string;
      check: boolean;
      hosts: string[];
      time: string;
      /** `--shard K/N`: this run is slice K (`quorum runs merge` joins the slices' recaps). */
      shard?: ShardInfo;
    }
  | {
      type: 'plan';
      nodes: Array<{
        id: string;
        host: string;
        play: string;
        item: string;
        needs: string[];
        /** At most this many hosts run this item at once. */
        throttle?: number;
        /** Outside --limit, read for what a limited host needs: a check run, never a change. */
        readOnly?: true;
      }>;
      notes: string[];
    }
  | { type: 'node_start'; id: string; host: string; item: string; readOnly?: true }
  | {
      type: 'node_end';
      id: string;
      host: string;
      item: string;
      status: NodeStatus;
      reason?: string;
      /** Skipped because something it needed did not run or failed (or the run was stopped): not done. */
      blocked?: true;
      readOnly?: true;
    }
  | {
      type: 'step';
      host: string;
      node: string;
      task: string;
      module: string;
      status: StepStatus;
      changes: ChangeReport[];
      /** Check mode: the outcome cannot be known without running it. */
      unpredictable?: boolean;
      /** Built from values known only after apply. */
      prediction?: boolean;
      message?: string;
      error?: StepError;
      /** A failure that ignore_errors lets the host go on from. */
      ignored?: boolean;
      /** A failure whose result says changed (a command that ran and failed): an ignored one counts changed, as in Ansible's stats. */
      changed?: true;
      /** The host was unreachable in this step (ignore_unreachable: reported, and the host went on). */
      unreachable?: boolean;
      rescued?: boolean;
      /** Check mode: the outcome depends on a change an earlier step would make ("may change"). */
      maybe?: boolean;
      item?: unknown;
    }
  | {
      type: 'retry';
      host: string;
      task: string;
      /** The attempt that just failed its `until` condition (1-based). */
      attempt: number;
      retries: number;
      delaySeconds: number;
      /** Why the attempt did not make it: its error, when it failed. */
      message?: string;
    }
  | { type: 'handler'; host: string; handler: string; status: StepStatus; because: string[] }
  | { type: 'unreachable'; host: string; message: string }
  | { type: 'warning'; message: string }
  | { type: 'recap'; hosts: Record<string, HostRecap>; elapsedMs: number }
  | { type: 'run_end'; exitCode: number };

export interface StepError {
  message: string;
  command?: string;
  exitCode?: number;
  stderrTail?: string;
}

export type Reporter = (event: RunEvent) => void;

export { REDACTED };

/**
 * Fields that name the run's own structure (the event's type, hosts from the inventory, node ids,
 * module names, statuses): never a secret's text, and what reporters key on. A short secret
 * (`url_password: p`) masked inside them made `step` events vanish from every reporter.
 */
const STRUCTURAL_KEYS = new Set([
  'type',
  'id',
  'runId',
  'host',
  'hosts',
  'node',
  'needs',
  'module',
  'status',
  'time',
]);

/** Deep-replace every registered secret in an event before any reporter sees it. */
export function redact<T>(value: T, secrets: ReadonlySet<string>): T {
  if (secrets.size === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return maskSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') {
      const fields = isDiff(v) ? { ...v, before: redactOldSecrets(v.before, v.after, secrets) } : v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(fields)) out[k] = STRUCTURAL_KEYS.has(k) ? x : scrub(x);
      return out;
    }
    return v;
  };
  return scrub(value) as T;
}

const isDiff = (v: unknown): v is FileDiff =>
  !!v &&
  typeof v === 'object' &&
  typeof (v as FileDiff).before === 'string' &&
  typeof (v as FileDiff).after === 'string';

/**
 * The "before" side of a diff can hold a secret nobody registered: the old value of a secret
 * param (the VRRP password on the host before this run). Every "after" line that carries a
 * secret gives a shape, the text around it; a "before" line of the same shape has its middle
 * redacted, whatever it is.
 */
export function redactOldSecrets(before: string, after: string, secrets: ReadonlySet<string>): string {
  const shapes: Array<[string, string]> = [];
  for (const line of after.split('\n')) {
    for (const secret of secrets) {
      const at = secret ? line.indexOf(secret) : -1;
      if (at < 0) continue;
      shapes.push([line.slice(0, at), line.slice(at + secret.length)]);
    }
  }
  if (shapes.length === 0) return before;
  const unchanged = new Set(after.split('\n'));
  // marked apart from the new value's ******** so the diff still shows that the secret changed
  const old = `${REDACTED}(old)`;
  return before
    .split('\n')
    .map((line) => {
      if (!line || unchanged.has(line)) return line; // kept as is: the usual scrub hides its secret
      for (const [head, tail] of shapes) {
        // a secret that is a whole line: every line this run replaces may have been one
        if (!head.trim() && !tail.trim()) return old;
        if (line.length > head.length + tail.length && line.startsWith(head) && line.endsWith(tail))
          return `${head}${old}${tail}`;
      }
      return line;
    })
    .join('\n');
}
