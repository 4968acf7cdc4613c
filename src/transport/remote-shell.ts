/**
 * One long-lived `/bin/sh` per host on an SSH exec channel, fed commands on stdin. Each
 * command runs in a subshell and is framed by unique end markers carrying its exit code on
 * stdout and stderr. This avoids an SSH channel, a session process and a login shell per
 * command: a round trip costs a fork on the host instead of ~40 ms.
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
  private pending?: Pending;
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
      this.pending?.reject(new Error(this.closed));
      this.pending = undefined;
    });
  }

  /** Runs one command; callers must not overlap calls (the transport serializes them). */
  run(command: string, stdin?: string): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new Error(this.closed));
    const marker = `__QUORUM_END_${this.token}_${++this.seq}`;
    const input = stdin === undefined || stdin === '' ? '</dev/null' : '';
    const feed = input ? '' : `printf '%s' '${Buffer.from(stdin!).toString('base64')}' | base64 -d | `;
    const script = `${feed}( ${command}\n) ${input}; __q=$?; printf '\\n${marker} %d\\n' "$__q"; printf '\\n${marker}\\n' >&2\n`;
    return new Promise((resolve, reject) => {
      this.pending = { marker, resolve, reject };
      this.channel.write(script);
    });
  }

  private parse() {
    const p = this.pending;
    if (!p) return;
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
    if (p.stdout && p.stderr !== undefined) {
      this.pending = undefined;
      p.resolve({ code: p.stdout.code, stdout: p.stdout.text, stderr: p.stderr });
    }
  }

  close() {
    this.closed ??= 'closed by quorum';
    this.channel.end();
  }
}
