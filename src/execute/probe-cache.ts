/**
 * Probes sent ahead of their turn, so that a host's steps cost one round trip between them
 * instead of one each. When a step needs a probe that was not sent ahead, the probes the
 * next steps will need (as far as they can be known now, see speculate.ts) go out right
 * behind it; the persistent shell runs them in order and answers in one round trip.
 *
 * A result is used at most once, and only while nothing has changed the host: any action
 * drops every result sent ahead. How far ahead to look adapts: it doubles while results get
 * used; when an action throws them away it shrinks, and the next few steps (1, 2, 4, ...
 * after each loss in a row) do not look ahead at all, so a first run, where almost every
 * step changes the host, wastes a handful of probes rather than one per step.
 */
import type { ExecResult, Transport } from '../transport/types.ts';

export interface ProbeRequest {
  command: string;
  become: boolean;
}

/** The probes of the next `window` steps, in the order they will be needed. */
export type Lookahead = (window: number) => Promise<ProbeRequest[]>;

const MIN_WINDOW = 1;
const MAX_WINDOW = 64;
const MAX_BACKOFF = 32;

export class ProbeCache {
  private readonly sent = new Map<string, Array<Promise<ExecResult>>>();
  private window = 8;
  /** Misses to let pass before looking ahead again, and how many the next loss sets. */
  private skip = 0;
  private backoff = 1;
  /** The last look-ahead: how many results it sent, how many were used. */
  private aheadSent = 0;
  private aheadUsed = 0;
  /** QUORUM_LOOKAHEAD=0: every probe on its own turn (to compare, or to rule this out). */
  private readonly off = process.env.QUORUM_LOOKAHEAD === '0';

  constructor(private readonly transport: Transport) {}

  private static key(r: ProbeRequest) {
    return `${r.become ? 1 : 0} ${r.command}`;
  }

  private send(r: ProbeRequest): Promise<ExecResult> {
    const p = this.transport.exec(r.command, { purpose: 'probe', become: r.become });
    p.catch(() => {}); // a result sent ahead may never be asked for; its failure is not lost
    return p;
  }

  /** A result sent ahead for this probe, without using it up (for looking further ahead). */
  peek(r: ProbeRequest): Promise<ExecResult> | undefined {
    return this.sent.get(ProbeCache.key(r))?.[0];
  }

  async probe(r: ProbeRequest, lookahead?: Lookahead): Promise<ExecResult> {
    const key = ProbeCache.key(r);
    const queue = this.sent.get(key);
    const hit = queue?.shift();
    if (queue && queue.length === 0) this.sent.delete(key);
    if (hit) {
      this.aheadUsed++;
      return hit;
    }
    const now = this.send(r);
    if (!lookahead || this.off) return now;
    if (this.aheadSent > 0 && this.aheadUsed * 2 >= this.aheadSent) this.backoff = 1;
    if (this.skip > 0) {
      this.skip--;
      return now;
    }
    const ahead = await lookahead(this.window);
    for (const next of ahead) {
      const k = ProbeCache.key(next);
      this.sent.set(k, [...(this.sent.get(k) ?? []), this.send(next)]);
    }
    this.aheadSent = ahead.length;
    this.aheadUsed = 0;
    if (ahead.length) this.window = Math.min(MAX_WINDOW, this.window * 2);
    return now;
  }

  /** The host is about to change: nothing sent ahead describes it any more. */
  invalidate() {
    if (this.sent.size === 0) return;
    this.sent.clear();
    this.window = Math.max(MIN_WINDOW, this.window >> 2);
    this.skip = this.backoff;
    this.backoff = Math.min(MAX_BACKOFF, this.backoff * 2);
  }
}
