/**
 * One quorum run changes a host at a time. Before its first action on a host, a run takes a
 * lease there: /run/quorum.lock holds its id, its PID and controller, when it started and when
 * the lease ends. The run renews its leases while it works and removes them when it ends; a
 * run that dies leaves a lease that ends by itself (LEASE_SECONDS), or at once when the next run
 * is on the same controller and the dead run's process is gone. SIGINT and SIGTERM release the
 * leases before quorum exits (play-cmd). A second run that finds a
 * live lease of another run waits for it (WAIT_SECONDS at most, saying whose it is once the
 * wait is noticeable), then fails on that host without changing it: runs never interleave. The check and the write happen under flock(1), so two runs
 * cannot both take a free host. Check runs only read, and take no lease.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sh } from '../transport/shell.ts';
import type { Transport } from '../transport/types.ts';

export const LEASE_SECONDS = 60;
const RENEW_MS = 15_000;
export const WAIT_SECONDS = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a process of this controller is alive (EPERM: it is, someone else's). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // unknown: assume it is, and wait
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
/** /run where the login may write there (root, or through sudo), else /tmp. */
const PICK = 'f=/run/quorum.lock; [ -w /run ] || f=/tmp/quorum.lock';

export interface RunIdentity {
  id: string;
  pid: number;
  controller: string;
  since: number;
}

export function newRunIdentity(): RunIdentity {
  return {
    id: randomBytes(6).toString('hex'),
    pid: process.pid,
    controller: hostname(),
    since: Math.floor(Date.now() / 1000),
  };
}

/**
 * The shell that takes (or renews) the lease, or prints BUSY and the owner's line. `takeOver`:
 * the id of a lease whose run is known to be dead (its process is gone from this controller),
 * replaced even though it has not ended yet.
 */
export function leaseCommand(me: RunIdentity, takeOver?: string): string {
  const line = `${me.id} ${me.pid} ${me.controller.replace(/\s/g, '_')} ${me.since}`;
  const ours = takeOver
    ? `[ "$id" != ${sh`${me.id}`} ] && [ "$id" != ${sh`${takeOver}`} ]`
    : `[ "$id" != ${sh`${me.id}`} ]`;
  const body = [
    'now=$(date +%s)',
    `if [ -s "$f" ]; then read id pid ctl since until < "$f"; if ${ours} && [ "\${until:-0}" -gt "$now" ]; then echo "BUSY $pid $ctl $since $id"; exit 0; fi; fi`,
    `echo ${sh`${line}`} $((now + ${LEASE_SECONDS})) > "$f.$$" && mv "$f.$$" "$f" && echo HELD`,
  ].join('; ');
  return `${PICK}; export f; flock "$f.guard" -c ${sh`${body}`}`;
}

/** Removes the lease only if it is still this run's. */
export function releaseCommand(me: RunIdentity): string {
  const body = `[ -s "$f" ] && read id rest < "$f" && [ "$id" = ${me.id} ] && rm -f "$f"; true`;
  return `${PICK}; export f; flock "$f.guard" -c ${sh`${body}`}`;
}

export class HostBusy extends Error {
  constructor(host: string, pid: string, controller: string, since: number) {
    super(
      `${host} is being changed by another quorum run (pid ${pid} on ${controller}, since ${new Date(since * 1000).toISOString()}); nothing was changed here`,
    );
  }
}

/** The leases of one run: taken on first need per host, renewed, released at the end. */
export class RunLocks {
  readonly me = newRunIdentity();
  private readonly held = new Map<string, { transport: Transport; taken: Promise<void> }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly warn: (message: string) => void = () => {},
    private readonly waitSeconds = WAIT_SECONDS,
  ) {}

  private async acquire(host: string, transport: Transport, become: boolean): Promise<void> {
    const started = Date.now();
    const deadline = started + this.waitSeconds * 1000;
    let told = false;
    let takeOver: string | undefined;
    for (;;) {
      const r = await transport.exec(leaseCommand(this.me, takeOver), { purpose: 'action', become });
      const out = r.stdout.trim();
      if (out.endsWith('HELD')) return;
      if (!out.startsWith('BUSY'))
        throw new Error(`${host}: cannot take the run lock: ${r.stderr.trim() || out}`);
      const [, pid, ctl, since, id] = out.split(' ');
      if (ctl === this.me.controller.replace(/\s/g, '_') && id && !processAlive(Number(pid))) {
        // a run of this controller that died (SIGKILL, a crash) without releasing its lease
        this.warn(
          `${host}: the run lock of run ${id} (pid ${pid} on this controller, since ${new Date(Number(since) * 1000).toISOString()}) was left by a run that no longer exists: taken over`,
        );
        takeOver = id;
        continue;
      }
      const busy = new HostBusy(host, pid, ctl, Number(since));
      if (Date.now() >= deadline) throw busy;
      if (!told && Date.now() - started >= 2000) {
        told = true;
        this.warn(
          `${busy.message.replace(/; nothing was changed here$/, '')}: waiting up to ${this.waitSeconds} s for it to finish`,
        );
      }
      await sleep(500);
    }
  }

  /** Resolves once this run holds `host`; rejects with HostBusy when another run does. */
  take(host: string, transport: Transport, become: boolean): Promise<void> {
    let entry = this.held.get(host);
    if (!entry) {
      const taken = this.acquire(host, transport, become);
      entry = { transport, taken };
      this.held.set(host, entry);
      this.timer ??= setInterval(() => this.renew(), RENEW_MS).unref();
    }
    return entry.taken;
  }

  private renew() {
    for (const { transport, taken } of this.held.values())
      taken
        .then(() => transport.exec(leaseCommand(this.me), { purpose: 'action', become: true }))
        .catch(() => {});
  }

  async releaseAll(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(
      [...this.held.values()].map(({ transport, taken }) =>
        taken
          .then(() =>
            transport.exec(releaseCommand(this.me), { purpose: 'action', become: true, aside: true }),
          )
          .catch(() => {}),
      ),
    );
    this.held.clear();
  }
}
