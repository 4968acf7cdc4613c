/**
 * Probes sent ahead of their turn, so that a host's steps cost one round trip between them
 * instead of one each. When a step needs a probe that was not sent ahead, the probes the
 * next steps will need (as far as they can be known now, see speculate.ts) go out with it:
 * their path probes in one batch command (path-batch.ts), other probes right behind it on the
 * same persistent shell, which runs them in order and answers in one round trip.
 *
 * A result is used at most once, and only while nothing has changed the host: any action
 * drops every result sent ahead. How far ahead to look adapts: it doubles while results get
 * used; when an action throws them away it shrinks, and the next few steps (1, 2, 4, ...
 * after each loss in a row) do not look ahead at all, so a first run, where almost every
 * step changes the host, wastes a handful of probes rather than one per step.
 */
import {
  type ContentEncoding,
  type PathRequest,
  type PathState,
  parsePathBatch,
  pathBatchCommand,
} from '../modules/path-batch.ts';
import type { ExecResult, Transport } from '../transport/types.ts';

export type ProbeRequest = { become: boolean } & ({ command: string } | { path: PathRequest });
type CommandProbe = Extract<ProbeRequest, { command: string }>;
type PathProbe = Extract<ProbeRequest, { path: PathRequest }>;
type Answer = Promise<ExecResult | PathState>;

/** The probes of the next `window` steps, in the order they will be needed. */
export type Lookahead = (window: number) => Promise<ProbeRequest[]>;

const MIN_WINDOW = 1;
const MAX_WINDOW = 64;
const MAX_BACKOFF = 32;

/** Two requests with the same key have the same answer. */
export function probeKey(r: ProbeRequest): string {
  if ('command' in r) return `${r.become ? 1 : 0} ${r.command}`;
  const { path, content, checksum, sha1, ids } = r.path;
  const flags = `${content ? 'c' : '-'}${checksum ? 's' : '-'}${sha1 ? '1' : '-'}${ids ? 'i' : '-'}`;
  return `${r.become ? 1 : 0}${flags} path ${path}`;
}

export class ProbeCache {
  private readonly sent = new Map<string, Answer[]>();
  /**
   * Steps to look ahead. Starts far: a batch of 30 paths costs the host little more than one
   * path, so a converged host is probed in one command; a first run throws away little.
   */
  private window = 32;
  /** Misses to let pass before looking ahead again, and how many the next loss sets. */
  private skip = 0;
  private backoff = 1;
  /** The last look-ahead: how many results it sent, how many were used. */
  private aheadSent = 0;
  private aheadUsed = 0;
  /** QUORUM_LOOKAHEAD=0: every probe on its own turn (to compare, or to rule this out). */
  private readonly off = process.env.QUORUM_LOOKAHEAD === '0';
  /** Path probes that go out with the next batch of their become (rideAlong). */
  private riders: PathProbe[] = [];

  constructor(private readonly transport: Transport) {}

  probe(r: CommandProbe, lookahead?: Lookahead): Promise<ExecResult> {
    return this.ask(this.plain(r), lookahead) as Promise<ExecResult>;
  }

  probePath(r: PathProbe, lookahead?: Lookahead): Promise<PathState> {
    return this.ask(this.plain(r), lookahead) as Promise<PathState>;
  }

  /** A result sent ahead for this probe, without using it up (for looking further ahead). */
  peek(r: ProbeRequest): Answer | undefined {
    return this.sent.get(probeKey(this.plain(r)))?.[0];
  }

  /**
   * A path the run will read later (the durable handlers' record): it goes out with the next
   * path batch of the same become, where it costs the host a shell test, not a command of its own.
   */
  rideAlong(r: PathProbe) {
    this.riders.push(this.plain(r));
  }

  /** As root, become changes nothing: such probes share their batch with the others. */
  private plain<T extends ProbeRequest>(r: T): T {
    return r.become && this.transport.asRoot ? { ...r, become: false } : r;
  }

  private keep(r: ProbeRequest, answer: Answer) {
    const k = probeKey(r);
    this.sent.set(k, [...(this.sent.get(k) ?? []), answer]);
  }

  private async ask(r: ProbeRequest, lookahead?: Lookahead): Answer {
    const key = probeKey(r);
    const queue = this.sent.get(key);
    const hit = queue?.shift();
    if (queue && queue.length === 0) this.sent.delete(key);
    if (hit) {
      this.aheadUsed++;
      return hit;
    }
    if (!lookahead || this.off) return this.send([r])[0];
    if (this.aheadSent > 0 && this.aheadUsed * 2 >= this.aheadSent) this.backoff = 1;
    if (this.skip > 0) {
      this.skip--;
      return this.send([r])[0];
    }
    const ahead = (await lookahead(this.window)).map((a) => this.plain(a));
    // the one asked now may be among them (learned-probes.ts sends a node's whole last asking)
    const again = ahead.findIndex((a) => probeKey(a) === key);
    if (again >= 0) ahead.splice(again, 1);
    const [now, ...answers] = this.send([r, ...ahead]);
    for (const [i, next] of ahead.entries()) this.keep(next, answers[i]);
    this.aheadSent = ahead.length;
    this.aheadUsed = 0;
    if (ahead.length) this.window = Math.min(MAX_WINDOW, this.window * 2);
    return now;
  }

  /**
   * Sends the probes: path probes of the same become as one batch, the first request's own
   * command or batch first (it is awaited now; the rest was sent ahead). Answers in request order.
   */
  private send(asked: ProbeRequest[]): Answer[] {
    const becomes = new Set(asked.flatMap((r) => ('path' in r ? [r.become] : [])));
    const keys = new Set(asked.map(probeKey));
    // a rider asked for now is answered by that request
    const due = this.riders.filter((r) => becomes.has(r.become) || keys.has(probeKey(r)));
    if (due.length) this.riders = this.riders.filter((r) => !due.includes(r));
    const riders = due.filter((r) => !keys.has(probeKey(r)));
    const requests = [...asked, ...riders];
    const answers: Answer[] = [];
    const batches = new Map<boolean, Array<{ at: number; path: PathRequest }>>();
    requests.forEach((r, at) => {
      if ('path' in r) batches.set(r.become, [...(batches.get(r.become) ?? []), { at, path: r.path }]);
    });
    const sendBatch = (become: boolean) => {
      const batch = batches.get(become) ?? [];
      const states = this.pathBatch(
        batch.map((b) => b.path),
        become,
      );
      batch.forEach((b, i) => {
        answers[b.at] = states[i];
      });
      batches.delete(become);
    };
    if ('path' in requests[0]) sendBatch(requests[0].become);
    requests.forEach((r, at) => {
      if ('command' in r)
        answers[at] = this.transport.exec(r.command, { purpose: 'probe', become: r.become });
    });
    for (const become of [...batches.keys()]) sendBatch(become);
    // a result sent ahead may never be asked for; its failure is not lost, only unobserved
    for (const a of answers) a.catch(() => {});
    for (const [i, r] of riders.entries()) this.keep(r, answers[asked.length + i]);
    return answers.slice(0, asked.length);
  }

  /**
   * One command for many paths. When its reply does not add up, the batch is asked again with
   * contents in base64 (exact for files that are not UTF-8 text), and when that fails too, each
   * path on its own, so that only the step whose path cannot be read fails.
   */
  private pathBatch(
    paths: PathRequest[],
    become: boolean,
    encoding: ContentEncoding = 'raw',
  ): Array<Promise<PathState>> {
    const last = encoding === 'base64' && paths.length === 1;
    const parsed = this.transport
      .exec(pathBatchCommand(paths, encoding), { purpose: 'probe', become })
      .then((r) => {
        try {
          return parsePathBatch(paths, r, encoding);
        } catch (e) {
          if (last) throw e;
          return undefined;
        }
      });
    let again: Array<Promise<PathState>> | undefined;
    const askAgain = () =>
      encoding === 'raw'
        ? this.pathBatch(paths, become, 'base64')
        : paths.map((p) => this.pathBatch([p], become, 'base64')[0]);
    return paths.map((_, i) => parsed.then((states) => states?.[i] ?? (again ??= askAgain())[i]));
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
