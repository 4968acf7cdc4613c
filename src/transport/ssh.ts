/**
 * SSH through node-ssh (ssh2): one persistent connection per host for the whole run, every
 * command an exec channel on it (a bounded number in flight), host keys checked against
 * known_hosts, keepalives so a dead host is noticed instead of waited on.
 */

import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import pLimit from 'p-limit';
import { certTrust, type Keyscan, localKeyscan, remoteKeyscan } from './cert-trust.ts';
import { type HostKeyPolicy, verifyHostKey } from './known-hosts.ts';
import { reportConnectRetry } from './progress.ts';
import { RemoteShell, type ShellChannel } from './remote-shell.ts';
import { quote } from './shell.ts';
import type { ExecOptions, ExecResult, Transport } from './types.ts';
import { UnreachableError } from './types.ts';

/**
 * Key exchanges under way at once, in this process. Each costs the controller ~40 ms of CPU:
 * 1,000 hosts started together on 2 cores timed out waiting for their handshakes (the connect
 * timeout runs from the start of the exchange); queued here, the timeout counts from a slot.
 */
const HANDSHAKES_AT_ONCE = 32;
const handshakes = pLimit(HANDSHAKES_AT_ONCE);
/** Exec channels at once beside the persistent shell (delegated steps, a lease's release). */
const ASIDE_CHANNELS = 4;

export interface SshTarget {
  address: string;
  port: number;
  user: string;
  privateKeyPaths: string[];
  password?: string;
  agent?: string;
}

export interface SshOptions extends SshTarget {
  knownHostsFile: string;
  hostKeyPolicy: HostKeyPolicy;
  connectTimeoutMs: number;
  retries: number;
  maxChannels: number;
  becomePassword?: string;
  jump?: SshTarget;
  /** `shell` (default): one persistent remote shell; `exec`: an exec channel per command. */
  channels?: 'shell' | 'exec';
}

export class SshTransport implements Transport {
  private client?: Promise<NodeSSH>;
  private jumpClient?: NodeSSH;
  private dead?: string;
  /** Which login session this is: reset_connection starts the next. */
  private session = 0;
  private readonly limit;
  private readonly asideLimit = pLimit(ASIDE_CHANNELS);
  private shell?: Promise<RemoteShell>;
  private readonly mode: 'shell' | 'exec';

  constructor(
    readonly host: string,
    private readonly options: SshOptions,
  ) {
    this.mode = options.channels ?? 'shell';
    // the persistent shell takes commands pipelined and runs them in order, so no limit there
    this.limit = pLimit(this.mode === 'shell' ? Number.POSITIVE_INFINITY : options.maxChannels);
  }

  /** False once the connection is known to be gone: the keeper replaces such a transport. */
  get usable(): boolean {
    return this.dead === undefined;
  }

  private openShell(ssh: NodeSSH): Promise<RemoteShell> {
    return new Promise((resolve, reject) => {
      ssh.connection!.exec('exec /bin/sh', (err: Error | undefined, stream: unknown) =>
        err ? reject(err) : resolve(new RemoteShell(stream as unknown as ShellChannel)),
      );
    });
  }

  /**
   * One connection to `target`; `openSock` gives the stream for a host behind a jump host, and
   * `keyscan` says where its host certificate is fetched from when known_hosts trusts it only
   * through a CA.
   */
  private async connectOnce(
    target: SshTarget,
    keyscan: Keyscan,
    openSock?: () => Promise<NodeJS.ReadableStream>,
  ): Promise<NodeSSH> {
    // loaded on first use: runs that only use local connections do not pay for ssh2
    const { NodeSSH } = await import('node-ssh');
    const ssh = new NodeSSH();
    let rejected: string | undefined;
    const { knownHostsFile, hostKeyPolicy, connectTimeoutMs } = this.options;
    const certified =
      hostKeyPolicy === 'off'
        ? undefined
        : await certTrust(knownHostsFile, target.address, target.port, keyscan, connectTimeoutMs);
    const sock = openSock ? await openSock() : undefined;
    const key = target.privateKeyPaths
      .map((p) => {
        try {
          return readFileSync(p, 'utf8');
        } catch {
          return undefined;
        }
      })
      .find((k) => k !== undefined);
    try {
      await handshakes(() =>
        ssh.connect({
          host: target.address,
          port: target.port,
          username: target.user,
          privateKey: key,
          password: target.password,
          agent: target.agent,
          sock: sock as never,
          readyTimeout: this.options.connectTimeoutMs,
          keepaliveInterval: 5000,
          keepaliveCountMax: 3,
          // only the certified keys' algorithms, so the host presents the key its certificate names
          algorithms: certified?.algorithms.length ? { serverHostKey: certified.algorithms } : undefined,
          hostVerifier: (blob: Buffer) => {
            const verdict = verifyHostKey(
              knownHostsFile,
              target.address,
              target.port,
              blob,
              hostKeyPolicy,
              certified,
            );
            if (!verdict.ok) rejected = verdict.reason;
            return verdict.ok;
          },
        } as never),
      );
    } catch (e) {
      if (rejected) throw new UnreachableError(this.host, rejected);
      throw e;
    }
    // a connection reset_connection closed says nothing about the one that replaced it
    const session = this.session;
    ssh.connection?.on('close', () => {
      if (session === this.session) this.dead ??= `connection to ${target.address}:${target.port} closed`;
    });
    ssh.connection?.on('error', (err: Error) => {
      if (session === this.session)
        this.dead ??= `connection to ${target.address}:${target.port} failed: ${err.message}`;
    });
    return ssh;
  }

  private async connect(): Promise<NodeSSH> {
    const { retries } = this.options;
    let last: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      try {
        if (this.options.jump) {
          const jump = await this.connectOnce(this.options.jump, localKeyscan);
          this.jumpClient = jump;
          const openSock = () =>
            new Promise<NodeJS.ReadableStream>((resolve, reject) =>
              jump.connection!.forwardOut(
                '127.0.0.1',
                0,
                this.options.address,
                this.options.port,
                (err: Error | undefined, s: NodeJS.ReadableStream) => (err ? reject(err) : resolve(s)),
              ),
            );
          // the jump host sees the target as the target's own address; this machine may not
          const keyscan = remoteKeyscan((command) => jump.execCommand(command));
          return await this.connectOnce(this.options, keyscan, openSock);
        }
        return await this.connectOnce(this.options, localKeyscan);
      } catch (e) {
        if (e instanceof UnreachableError) throw e; // a host key problem does not go away by retrying
        last = e;
        if (attempt < retries) {
          reportConnectRetry(this.host, attempt + 2, retries + 1, e instanceof Error ? e.message : String(e));
          await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
        }
      }
    }
    const why = last instanceof Error ? last.message : String(last);
    throw new UnreachableError(
      this.host,
      `cannot connect to ${this.options.user}@${this.options.address}:${this.options.port}: ${why}`,
    );
  }

  get asRoot(): boolean {
    return this.options.user === 'root';
  }

  private command(command: string, become: boolean | undefined): { command: string; prefix: string } {
    const wrapped = `/bin/sh -c ${quote(command)}`;
    if (!become || this.options.user === 'root')
      return { command: this.mode === 'shell' ? command : wrapped, prefix: '' };
    if (this.options.becomePassword !== undefined) {
      return { command: `sudo -S -p '' -H ${wrapped}`, prefix: `${this.options.becomePassword}\n` };
    }
    return { command: `sudo -n -H ${wrapped}`, prefix: '' };
  }

  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    // commands aside open channels of their own: a few at a time, under sshd's MaxSessions (10),
    // which the shell's channel counts too
    if (options.aside && this.mode === 'shell') return this.asideLimit(() => this.run(command, options));
    return this.run(command, options);
  }

  private run(command: string, options: ExecOptions): Promise<ExecResult> {
    return this.limit(async () => {
      const session = this.session;
      this.client ??= this.connect();
      let ssh: NodeSSH;
      try {
        ssh = await this.client;
      } catch (e) {
        this.client = Promise.reject(e);
        this.client.catch(() => {});
        throw e;
      }
      if (this.dead) throw new UnreachableError(this.host, this.dead);
      const { command: full, prefix } = this.command(command, options.become);
      // bytes stay bytes (a binary file's content); the same Buffer for every host when there is no prefix
      const given = options.stdin === undefined ? Buffer.alloc(0) : Buffer.from(options.stdin);
      const stdin =
        prefix === '' && Buffer.isBuffer(options.stdin)
          ? options.stdin
          : Buffer.concat([Buffer.from(prefix), given]);
      try {
        // aside: an exec channel of its own on the same connection, beside the shell's queue
        if (this.mode === 'shell' && !options.aside) {
          this.shell ??= this.openShell(ssh);
          const shell = await this.shell;
          return await shell.run(full, stdin);
        }
        const run = ssh.execCommand(full, {
          stdin: stdin.length === 0 ? undefined : Readable.from([stdin]),
          noTrim: true,
        });
        const r = options.timeoutMs
          ? await Promise.race([
              run,
              new Promise<never>((_, reject) =>
                setTimeout(
                  () => reject(new Error(`timed out after ${options.timeoutMs} ms`)),
                  options.timeoutMs,
                ),
              ),
            ])
          : await run;
        return { code: r.code ?? (r.signal ? 128 : 1), stdout: r.stdout, stderr: r.stderr };
      } catch (e) {
        // a command of a session reset closed (a task's timeout): the new session is not dead
        if (session !== this.session) throw new UnreachableError(this.host, 'the session was reset');
        const why = this.dead ?? (e instanceof Error ? e.message : String(e));
        this.dead ??= why;
        throw new UnreachableError(this.host, `lost the connection to ${this.options.address}: ${why}`);
      }
    });
  }

  async reset(): Promise<void> {
    this.session++;
    await this.close();
    this.client = undefined;
    this.jumpClient = undefined;
    this.shell = undefined;
    this.dead = undefined;
  }

  async close(): Promise<void> {
    if (this.shell) (await this.shell.catch(() => undefined))?.close();
    // a late socket error after dispose (the host went away) must not crash the process
    const quiet = (c?: NodeSSH) => {
      c?.connection?.on('error', () => {});
      c?.dispose();
    };
    if (this.client) quiet(await this.client.catch(() => undefined));
    quiet(this.jumpClient);
  }
}
