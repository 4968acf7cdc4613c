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
  write(data: string): void;
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

export class RemoteShell {
  private readonly token = randomBytes(8).toString('hex');
  private seq = 0;
  private out = Buffer.alloc(0);
  private err = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  closed?: string;

  constructor(private readonly channel: ShellChannel) {
    channel.on('data', (chunk) => {
      this.out = Buffer.concat([this.out, chunk]);
      this.parse();
    });
    channel.stderr.on('data', (chunk) => {
      this.err = Buffer.concat([this.err, chunk]);
      this.parse();
    });
    channel.on('close', () => {
      this.closed ??= 'the remote shell closed';
      for (const p of this.pending.splice(0)) p.reject(new Error(this.closed));
    });
  }

  /** Runs one command after every command written before it. */
  run(command: string, stdin?: string): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new Error(this.closed));
    const marker = `__QUORUM_END_${this.token}_${++this.seq}`;
    const input = stdin === undefined || stdin === '' ? '</dev/null' : '';
    const feed = input ? '' : `printf '%s' '${Buffer.from(stdin!).toString('base64')}' | base64 -d | `;
    const script = `${feed}( ${command}\n) ${input}; __q=$?; printf '\\n${marker} %d\\n' "$__q"; printf '\\n${marker}\\n' >&2\n`;
    return new Promise((resolve, reject) => {
      this.pending.push({ marker, resolve, reject });
      this.channel.write(script);
    });
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
      const at = this.out.indexOf(`\n${p.marker} `);
      const end = at < 0 ? -1 : this.out.indexOf('\n', at + 1);
      if (end >= 0) {
        const code = Number(this.out.subarray(at + p.marker.length + 2, end).toString());
        p.stdout = { text: this.out.subarray(0, at).toString('utf8'), code };
        this.out = this.out.subarray(end + 1);
      }
    }
    if (p.stderr === undefined) {
      const mark = `\n${p.marker}\n`;
      const at = this.err.indexOf(mark);
      if (at >= 0) {
        p.stderr = this.err.subarray(0, at).toString('utf8');
        this.err = this.err.subarray(at + Buffer.byteLength(mark));
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
