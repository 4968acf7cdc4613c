/**
 * Durable handlers. A handler notified on a host is recorded there (PENDING_FILE, replaced
 * atomically) before the change that notifies it is made, and cleared once the handler ran.
 * A run that stops in between (Ctrl-C, a lost connection, a later task failing) leaves it: the
 * next run on that host runs the handler even when nothing changes then, and says from which
 * run it was pending. Ansible loses such a handler (its `force_handlers` only helps a run that
 * reaches its end). Check runs read the record and write nothing.
 */
import { basename } from 'node:path';
import { quote } from '../transport/shell.ts';
import type { Transport } from '../transport/types.ts';
import type { ProbeCache } from './probe-cache.ts';

export const PENDING_FILE = '/var/lib/quorum/pending-handlers';

export interface PendingHandler {
  /** Which handler: handlerKey(). */
  key: string;
  /** The run that notified it. */
  runId: string;
  /** The step that notified it. */
  because: string;
}

/** A play by its playbook's file name and its own name: `site.yml / Configure web`. */
export function playKey(play: { name: string; location: { file: string } }): string {
  return `${basename(play.location.file)} / ${play.name}`;
}

/** A play's handler (by the name or `listen` topic notified) or a TypeScript role's. */
export function handlerKey(scope: { play: string } | { role: string }, name: string): string {
  return 'play' in scope ? `play ${scope.play}: ${name}` : `role ${scope.role}: ${name}`;
}

const field = (s: string) => s.replace(/[\t\n\r]/g, ' ');

function parse(text: string): PendingHandler[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [key = '', runId = '', because = ''] = line.split('\t');
      return { key, runId, because };
    })
    .filter((e) => e.key !== '');
}

/** One host's record: read once per run, changed in memory and written through, one write at a time. */
export class PendingHandlers {
  private entries?: Promise<PendingHandler[]>;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly transport: Transport,
    private readonly probes: ProbeCache,
  ) {}

  private static readonly request = { path: { path: PENDING_FILE, content: true }, become: true };

  /** The record will be read: it goes out with the host's first batch of path probes. */
  readSoon() {
    this.probes.rideAlong(PendingHandlers.request);
  }

  private read(): Promise<PendingHandler[]> {
    this.entries ??= this.probes
      .probePath(PendingHandlers.request)
      .then((state) => (state.kind === 'file' ? parse(state.content ?? '') : []))
      // unreadable: as if there were none (the handlers notified in this run still run)
      .catch(() => []);
    return this.entries;
  }

  /** The entries recorded for these keys (by earlier runs, or this one). */
  async pendingFor(keys: string[]): Promise<PendingHandler[]> {
    const entries = await this.read();
    return entries.filter((e) => keys.includes(e.key));
  }

  /** Records the keys not recorded yet; resolves once the host has them. */
  add(keys: string[], runId: string, because: string): Promise<void> {
    return this.update((entries) => {
      const missing = keys.filter((k) => !entries.some((e) => e.key === k));
      return missing.length === 0
        ? undefined
        : [...entries, ...missing.map((key) => ({ key, runId, because }))];
    });
  }

  /** Clears the keys (their handler ran). */
  remove(keys: string[]): Promise<void> {
    return this.update((entries) => {
      const kept = entries.filter((e) => !keys.includes(e.key));
      return kept.length === entries.length ? undefined : kept;
    });
  }

  /** The handlers ran: their records go. A failed write is said, not fatal (they run once more). */
  async ran(keys: string[], warn: (message: string) => void): Promise<void> {
    await this.remove(keys).catch((e) => warn((e as Error).message));
  }

  private update(change: (entries: PendingHandler[]) => PendingHandler[] | undefined): Promise<void> {
    const next = this.writes.then(async () => {
      const entries = await this.read();
      const updated = change(entries);
      if (!updated) return;
      const text = updated.map((e) => [e.key, e.runId, e.because].map(field).join('\t')).join('\n');
      const dir = PENDING_FILE.slice(0, PENDING_FILE.lastIndexOf('/'));
      const command =
        updated.length === 0
          ? `rm -f ${PENDING_FILE}`
          : `mkdir -p ${dir} && t=$(mktemp ${quote(`${dir}/.pending.XXXXXX`)}) && cat > "$t" && mv -f "$t" ${PENDING_FILE}`;
      const r = await this.transport.exec(command, {
        purpose: 'action',
        become: true,
        stdin: updated.length === 0 ? undefined : `${text}\n`,
      });
      if (r.code !== 0)
        throw new Error(`cannot record pending handlers in ${PENDING_FILE}: ${r.stderr.trim()}`);
      this.entries = Promise.resolve(updated);
    });
    // a failed write does not stop later ones
    this.writes = next.catch(() => {});
    return next;
  }
}
