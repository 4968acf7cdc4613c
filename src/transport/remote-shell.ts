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

  /** Fills in the oldest command's reply from the buffers; true once it is complete. */
  private parseHead(): boolean {
    const p = this.pending[0];
    if (!p.stdout) {
      const text = this.out.toString('utf8');
      const m = new RegExp(`\\n${p.marker} (\\d+)\\n`).exec(text);
      if (m) {
        p.stdout = { text: text.slice(0, m.index), code: Number(m[1]) };
        this.out = Buffer.from(text.slice(m.index + m[0].length), 'utf8');
      }
    }
    if (p.stderr === undefined) {
      const text = this.err.toString('utf8');
      const end = `\n${p.marker}\n`;
      const at = text.indexOf(end);
      if (at >= 0) {
        p.stderr = text.slice(0, at);
        this.err = Buffer.from(text.slice(at + end.length), 'utf8');
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
