/**
 * A host reached through the connection keeper (see keeper.ts): each command goes over the
 * keeper's unix socket and runs on the connection the keeper holds for this host, opened by
 * an earlier run or on first use. Starts the keeper when none is running; when it cannot,
 * says so once and connects directly instead.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';
import type { ExecRequest, KeeperReply, KeeperRequest } from './keeper-protocol.ts';
import { keeperDir, keeperLog, keeperSocket, onJsonLines } from './keeper-protocol.ts';
import { type SshOptions, SshTransport } from './ssh.ts';
import type { ExecOptions, ExecResult, Transport } from './types.ts';
import { UnreachableError } from './types.ts';

type Pending = { resolve: (r: KeeperReply) => void; reject: (e: Error) => void };

export class KeeperClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private gone?: string;

  constructor(private readonly socket: Socket) {
    // the socket keeps the process alive only while a reply is awaited
    socket.unref();
    onJsonLines<KeeperReply>(socket, (reply) => {
      const p = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) socket.unref();
      p?.resolve(reply);
    });
    const lost = () => {
      this.gone ??= 'the connection keeper went away';
      for (const p of this.pending.values()) p.reject(new Error(this.gone));
      this.pending.clear();
    };
    socket.on('error', lost);
    socket.on('close', lost);
  }

  request(r: Omit<ExecRequest, 'id'> | Omit<KeeperRequest, 'id'>): Promise<KeeperReply> {
    if (this.gone) return Promise.reject(new Error(this.gone));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.ref();
      this.socket.write(`${JSON.stringify({ ...r, id })}\n`);
    });
  }

  close() {
    this.socket.end();
  }
}

function tryConnect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(undefined));
  });
}

function startKeeper(dir: string, persistSeconds: number) {
  const log = openSync(keeperLog(dir), 'a', 0o600);
  const env = { ...process.env };
  delete env.QUORUM_BECOME_PASSWORD; // the keeper gets what it needs per request, nothing more
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'bin/quorum.js'), 'keeper', 'serve', '--persist', String(persistSeconds)],
    { detached: true, stdio: ['ignore', log, log], env },
  );
  child.unref();
}

/** The running keeper, started if need be (bounded wait); undefined when it cannot be had. */
export async function keeperClient(persistSeconds: number, start = true): Promise<KeeperClient | undefined> {
  const dir = keeperDir();
  let socket = await tryConnect(keeperSocket(dir));
  if (!socket && start) {
    startKeeper(dir, persistSeconds);
    for (let i = 0; i < 100 && !socket; i++) {
      await new Promise((r) => setTimeout(r, 50));
      socket = await tryConnect(keeperSocket(dir));
    }
  }
  return socket && new KeeperClient(socket);
}

let shared: Promise<KeeperClient | undefined> | undefined;
let warned = false;

export class KeptTransport implements Transport {
  private direct?: SshTransport;
  /** The next request asks the keeper for a new session (meta: reset_connection). */
  private resetPending = false;

  constructor(
    readonly host: string,
    private readonly options: SshOptions,
    private readonly persistSeconds: number,
  ) {}

  get asRoot(): boolean {
    return this.options.user === 'root';
  }

  async exec(command: string, options: ExecOptions): Promise<ExecResult> {
    shared ??= keeperClient(this.persistSeconds).catch((e: Error) => {
      process.stderr.write(`warning: ${e.message}\n`);
      warned = true;
      return undefined;
    });
    const client = await shared;
    if (!client) {
      if (!warned)
        process.stderr.write('warning: the connection keeper did not start; connecting directly\n');
      warned = true;
      this.direct ??= new SshTransport(this.host, this.options);
      if (this.resetPending) await this.direct.reset();
      this.resetPending = false;
      return this.direct.exec(command, options);
    }
    const reset = this.resetPending;
    this.resetPending = false;
    let reply: KeeperReply;
    try {
      reply = await client.request({
        op: 'exec',
        host: this.host,
        options: this.options,
        persistMs: this.persistSeconds * 1000,
        command,
        purpose: options.purpose,
        stdin: options.stdin === undefined ? undefined : Buffer.from(options.stdin).toString('base64'),
        become: options.become,
        timeoutMs: options.timeoutMs,
        aside: options.aside,
        ...(reset ? { reset } : {}),
      });
    } catch (e) {
      throw new UnreachableError(this.host, e instanceof Error ? e.message : String(e));
    }
    if ('result' in reply) return reply.result;
    if ('unreachable' in reply) throw new UnreachableError(this.host, reply.unreachable);
    throw new Error('error' in reply ? reply.error : 'unexpected reply from the connection keeper');
  }

  async reset(): Promise<void> {
    this.resetPending = true;
  }

  async close(): Promise<void> {
    // the connection stays with the keeper: that is the point
    await this.direct?.close();
  }
}
