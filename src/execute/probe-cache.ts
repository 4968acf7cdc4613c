/**
 * Probes sent ahead of their turn, so that a host's steps cost one round trip between them
 * instead of one each. When a step needs a probe that was not sent ahead, the probes the
 * next steps will need (as far as they can be known now, see speculate.ts) go out right
 * behind it; the persistent shell runs them in order and answers in one round trip.
 *
 * A result is used at most once, and only while nothing has changed the host: any action
 * drops every result sent ahead. How far ahead to look adapts: it doubles while results get
 * used and shrinks when an action throws them away (a first run changes almost every step).
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

export class ProbeCache {
  private readonly sent = new Map<string, Array<Promise<ExecResult>>>();
  private window = 8;

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
    if (hit) return hit;
    const now = this.send(r);
    if (lookahead) {
      for (const next of await lookahead(this.window)) {
        const k = ProbeCache.key(next);
        this.sent.set(k, [...(this.sent.get(k) ?? []), this.send(next)]);
      }
      this.window = Math.min(MAX_WINDOW, this.window * 2);
    }
    return now;
  }

  /** The host is about to change: nothing sent ahead describes it any more. */
  invalidate() {
    if (this.sent.size === 0) return;
    this.sent.clear();
    this.window = Math.max(MIN_WINDOW, this.window >> 2);
  }
}
