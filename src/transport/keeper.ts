/**
 * The connection keeper (`quorum keeper serve`), quorum's ControlPersist: a background
 * process of this user that holds SSH connections (and their persistent shells) between runs,
 * so a run against hosts it already knows skips key exchange and login. Runs talk to it over
 * a unix socket in a private folder. It ends itself once no run has used it for the persist
 * time, and on SIGTERM (`quorum keeper stop`), closing every connection it holds.
 */
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { ExecRequest, KeeperReply, KeeperRequest } from './keeper-protocol.ts';
import { keeperPidFile, keeperSocket, onJsonLines } from './keeper-protocol.ts';
import { SshTransport } from './ssh.ts';
import { UnreachableError } from './types.ts';

export async function serveKeeper(dir: string, initialPersistMs: number): Promise<void> {
  const kept = new Map<string, SshTransport>();
  const clients = new Set<Socket>();
  let persistMs = initialPersistMs;
  let idle: NodeJS.Timeout | undefined;

  // the options include the become password: the map key is a digest, never the text
  const keyOf = (r: ExecRequest) =>
    createHash('sha256')
      .update(JSON.stringify([r.host, r.options]))
      .digest('hex');

  const transportFor = (r: ExecRequest): SshTransport => {
    const key = keyOf(r);
    let t = kept.get(key);
    if (t && (!t.usable || r.reset)) {
      void t.close();
      t = undefined;
    }
    if (!t) {
      t = new SshTransport(r.host, r.options);
      kept.set(key, t);
    }
    return t;
  };

  const exec = async (r: ExecRequest): Promise<KeeperReply> => {
    const t = transportFor(r);
    try {
      const result = await t.exec(r.command, {
        purpose: r.purpose,
        stdin: r.stdin === undefined ? undefined : Buffer.from(r.stdin, 'base64'),
        become: r.become,
        timeoutMs: r.timeoutMs,
        aside: r.aside,
      });
      return { id: r.id, result };
    } catch (e) {
      if (e instanceof UnreachableError) {
        // a later run must try a fresh connection rather than inherit this failure
        for (const [k, v] of kept) if (v === t) kept.delete(k);
        void t.close();
        return { id: r.id, unreachable: e.message };
      }
      return { id: r.id, error: e instanceof Error ? e.message : String(e) };
    }
  };

  const handle = async (r: KeeperRequest): Promise<KeeperReply> => {
    if (r.op === 'status')
      return {
        id: r.id,
        status: {
          pid: process.pid,
          connections: [...kept.values()].filter((t) => t.usable).map((t) => t.host),
        },
      };
    persistMs = r.persistMs;
    return exec(r);
  };

  const shutdown = async () => {
    server.close();
    for (const c of clients) c.destroy();
    await Promise.all([...kept.values()].map((t) => t.close()));
    rmSync(keeperSocket(dir), { force: true });
    rmSync(keeperPidFile(dir), { force: true });
    process.exit(0);
  };
  const armIdle = () => {
    clearTimeout(idle);
    if (clients.size === 0) idle = setTimeout(() => void shutdown(), persistMs);
  };

  const server = createServer((socket) => {
    clients.add(socket);
    clearTimeout(idle);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      clients.delete(socket);
      armIdle();
    });
    onJsonLines<KeeperRequest>(socket, (r) => {
      void handle(r).then((reply) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(reply)}\n`);
      });
    });
  });

  // a socket left by a keeper that crashed would make listen fail; a live keeper would have
  // been found by the client that started us, so what is there is stale
  rmSync(keeperSocket(dir), { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(keeperSocket(dir), resolve);
  });
  writeFileSync(keeperPidFile(dir), `${process.pid}\n`);
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  armIdle();
}
