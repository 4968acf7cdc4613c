/**
 * One long-lived `/bin/sh` per host on an SSH exec channel, fed commands on stdin. Each
 * command runs in a subshell and is framed by unique end markers carrying its exit code on
 * stdout and stderr. This avoids an SSH channel, a session process and a login shell per
 * command: a round trip costs a fork on the host instead of ~40 ms. Commands may be written
 * before earlier ones finish (pipelined): the shell runs them in order and the replies come
 * back in order, so N commands cost one round trip.
 */
import { randomBytes } from 'node:crypto';
import type { ExecResult } from './types.ts';

export interface ShellChannel {
  /** false: the channel's buffer is full, wait for 'drain' (an SSH channel's window). */
  write(data: string | Buffer): boolean | undefined;
  once?(event: 'drain', cb: () => void): void;
  end(): void;
  on(event: 'data', cb: (chunk: Buffer) => void): void;
  on(event: 'close', cb: () => void): void;
  stderr: { on(event: 'data', cb: (chunk: Buffer) => void): void };
}

interface Pending {
  marker: string;
  resolve: (r: ExecResult) => void;
  reject: (e: Error) => void;
  stdout?: { text: string; code: number };
  stderr?: string;
}

/**
 * Bytes received and not yet claimed by a reply. Appending copies only the new chunk (the store
 * doubles when full) and a marker is searched only where it could newly appear: a 100 MB reply
 * in 32 KB chunks was quadratic when each chunk concatenated the whole buffer and rescanned it.
 */
class ByteQueue {
  private buf = Buffer.alloc(64 * 1024);
  private start = 0;
  private end = 0;
  /** Where the next search may begin: what was searched before holds no match. */
  private scanned = 0;

  append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      const size = Math.max(this.buf.length, (live + chunk.length) * 2);
      const next = size > this.buf.length ? Buffer.alloc(size) : this.buf;
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
      this.scanned -= this.start;
      this.end = live;
      this.start = 0;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** Offset of `needle` from the queue's head, or -1; a failed search is not repeated over the same bytes. */
  find(needle: string): number {
    const from = Math.max(this.start, this.scanned - Buffer.byteLength(needle));
    const at = this.buf.subarray(0, this.end).indexOf(needle, from);
    if (at < 0) {
      this.scanned = this.end;
      return -1;
    }
    return at - this.start;
  }

  indexOf(needle: string, from: number): number {
    const at = this.buf.subarray(0, this.end).indexOf(needle, this.start + from);
    return at < 0 ? -1 : at - this.start;
  }

  slice(from: number, to: number): Buffer {
    return this.buf.subarray(this.start + from, this.start + to);
  }

  /** Drops the first n bytes: the next reply's search starts after them. */
  consume(n: number): void {
    this.start += n;
    this.scanned = this.start;
  }
}

/** Wrapped base64 of a buffer (as bytes), made once however many hosts receive it. */
const encoded = new WeakMap<Buffer, Buffer>();
const LINE = 4096;

function base64Lines(data: Buffer): Buffer {
  let lines = encoded.get(data);
  if (lines === undefined) {
    const flat = Buffer.from(data.toString('base64'), 'latin1');
    lines = Buffer.alloc(flat.length + Math.ceil(flat.length / LINE));
    let at = 0;
    for (let i = 0; i < flat.length; i += LINE) {
      at += flat.copy(lines, at, i, Math.min(i + LINE, flat.length));
      lines[at++] = 0x0a;
    }
    encoded.set(data, lines);
  }
  return lines;
}

/** What is written to the channel at once, at most: a large stdin goes in pieces as the channel drains. */
const WRITE_CHUNK = 256 * 1024;

export class RemoteShell {
  private readonly token = randomBytes(8).toString('hex');
  private seq = 0;
  private readonly out = new ByteQueue();
  private readonly err = new ByteQueue();
  private readonly pending: Pending[] = [];
  /** Written in order; a full channel holds the rest back until it drains (memory stays bounded). */
  private readonly outbox: Array<string | Buffer> = [];
  private draining = false;
  closed?: string;

  constructor(private readonly channel: ShellChannel) {
    channel.on('data', (chunk) => {
      this.out.append(chunk);
      this.parse();
    });
    channel.stderr.on('data', (chunk) => {
      this.err.append(chunk);
      this.parse();
    });
    channel.on('close', () => {
      this.closed ??= 'the remote shell closed';
      for (const p of this.pending.splice(0)) p.reject(new Error(this.closed));
    });
  }

  /** Runs one command after every command written before it. */
  run(command: string, stdin?: string | Buffer): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new Error(this.closed));
    const marker = `__QUORUM_END_${this.token}_${++this.seq}`;
    const empty = stdin === undefined || stdin.length === 0;
    // stdin as a here-document of base64 lines (the marker has '_', never in base64): the
    // shell reads it a line at a time, the bytes arrive as they are
    const data = `__QUORUM_DATA_${this.token}_${this.seq}`;
    const script = `( ${command}\n) ${empty ? '</dev/null' : ''}; __q=$?; printf '\\n${marker} %d\\n' "$__q"; printf '\\n${marker}\\n' >&2\n`;
    return new Promise((resolve, reject) => {
      this.pending.push({ marker, resolve, reject });
      if (empty) this.send(script);
      else {
        const bytes = typeof stdin === 'string' ? Buffer.from(stdin) : stdin!;
        this.send(`{ base64 -d <<'${data}'\n`, base64Lines(bytes), `${data}\n} | ${script}`);
      }
    });
  }

  private send(...parts: Array<string | Buffer>): void {
    this.outbox.push(...parts);
    if (!this.draining) this.pump();
  }

  private pump(): void {
    while (this.outbox.length > 0 && !this.closed) {
      let part = this.outbox[0];
      if (typeof part !== 'string' && part.length > WRITE_CHUNK) {
        this.outbox[0] = part.subarray(WRITE_CHUNK);
        part = part.subarray(0, WRITE_CHUNK);
      } else this.outbox.shift();
      if (this.channel.write(part) === false && this.channel.once) {
        this.draining = true;
        this.channel.once('drain', () => {
          this.draining = false;
          this.pump();
        });
        return;
      }
    }
  }

  private parse() {
    while (this.pending.length && this.parseHead()) this.pending.shift();
  }

  /**
   * Fills in the oldest command's reply from the buffers; true once it is complete. Buffers
   * are cut at the markers' bytes, never decoded and encoded again: a character split across
   * two chunks must reach the next reply whole.
   */
  private parseHead(): boolean {
    const p = this.pending[0];
    if (!p.stdout) {
      const at = this.out.find(`\n${p.marker} `);
      const end = at < 0 ? -1 : this.out.indexOf('\n', at + 1);
      if (end >= 0) {
        const code = Number(this.out.slice(at + p.marker.length + 2, end).toString());
        p.stdout = { text: this.out.slice(0, at).toString('utf8'), code };
        this.out.consume(end + 1);
      }
    }
    if (p.stderr === undefined) {
      const mark = `\n${p.marker}\n`;
      const at = this.err.find(mark);
      if (at >= 0) {
        p.stderr = this.err.slice(0, at).toString('utf8');
        this.err.consume(at + Buffer.byteLength(mark));
      }
    }
    if (!p.stdout || p.stderr === undefined) return false;
    p.resolve({ code: p.stdout.code, stdout: p.stdout.text, stderr: p.stderr });
    return true;
  }

  close() {
    this.closed ??= 'closed by quorum';
    this.channel.end();
  }
}
