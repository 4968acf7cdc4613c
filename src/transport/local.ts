/** Runs commands on the controller itself (`ansible_connection: local`). */
import { spawn } from 'node:child_process';
import { quote } from './shell.ts';
import type { ExecOptions, ExecResult, Transport } from './types.ts';

export function withBecome(command: string, become: boolean | undefined, isRoot: boolean): string {
  if (!become || isRoot) return command;
  return `sudo -n -H sh -c ${quote(command)}`;
}

export class LocalTransport implements Transport {
  private readonly isRoot = process.getuid?.() === 0;
  constructor(readonly host = 'localhost') {}

  get asRoot(): boolean {
    return this.isRoot;
  }

  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', withBecome(command, options.become, this.isRoot)], {
        stdio: ['pipe', 'pipe', 'pipe'],
        // C's messages and byte order for what probes parse, in UTF-8: a program that needs a
        // UTF-8 locale (ansible itself, Python tools) runs as under ansible-playbook, which a
        // UTF-8 locale starts; plain C made them refuse (nginxinc.nginx runs `ansible --version`)
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (options.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({
          code: code ?? (signal ? 128 + 9 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
      child.stdin.on('error', () => {}); // the command may exit before reading stdin
      child.stdin.end(options.stdin ?? '');
    });
  }

  async close(): Promise<void> {}
}
