/**
 * A JSON-lines file written in batches. Lines gather in memory and go out in one write when
 * the event loop turns, at once for a line marked urgent, and at the process's exit. A converged
 * run on 1,000 hosts emits about 50,000 routine events (a node started, a step found nothing to
 * do): one write each cost a second of the controller's CPU.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { RunEvent } from './events.ts';

export class LineFile {
  private pending: string[] = [];
  private scheduled = false;
  private fd: number | undefined;
  private readonly atExit = () => this.flush();

  constructor(path: string, flags: 'a' | 'w', mode = 0o666) {
    this.fd = openSync(path, flags, mode);
    process.on('exit', this.atExit);
  }

  write(line: string, urgent = false) {
    this.pending.push(line);
    if (urgent) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush() {
    this.scheduled = false;
    if (this.fd === undefined || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    writeSync(this.fd, text);
  }

  close() {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    process.off('exit', this.atExit);
  }
}

/**
 * Events that record nothing done to a host: a node started or ended without change, a step
 * found nothing to do. Anything else (a change, a failure, a handler, a warning) is written
 * before the run goes on, so that a run killed at any point has it in its journal.
 */
export function isRoutine(event: RunEvent): boolean {
  switch (event.type) {
    case 'node_start':
      return true;
    case 'node_end':
      return event.status === 'ok' || event.status === 'skipped';
    case 'step':
      return (event.status === 'ok' || event.status === 'skipped') && event.changes.length === 0;
    default:
      return false;
  }
}
