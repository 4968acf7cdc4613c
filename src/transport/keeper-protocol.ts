/**
 * What the connection keeper and its clients share: where the keeper lives (a private folder
 * per user) and the messages, one JSON object per line over a unix socket.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshOptions } from './ssh.ts';
import type { ExecResult } from './types.ts';

export interface ExecRequest {
  id: number;
  op: 'exec';
  host: string;
  options: SshOptions;
  /** The keeper ends itself after this long without a client. */
  persistMs: number;
  command: string;
  purpose: 'probe' | 'action';
  /** base64, so binary stdin survives JSON */
  stdin?: string;
  become?: boolean;
  timeoutMs?: number;
  aside?: boolean;
  /** A new session first (meta: reset_connection): the kept one is closed. */
  reset?: boolean;
}

export interface StatusRequest {
  id: number;
  op: 'status';
}

export type KeeperRequest = ExecRequest | StatusRequest;

export type KeeperReply =
  | { id: number; result: ExecResult }
  | { id: number; unreachable: string }
  | { id: number; error: string }
  | { id: number; status: { pid: number; connections: string[] } };

/**
 * The keeper's folder: QUORUM_KEEPER_DIR, else quorum-UID under XDG_RUNTIME_DIR or the temp
 * folder. It holds a socket that runs commands as this user on every kept host, so it must be
 * ours and closed to everyone else; a folder planted by someone else is refused.
 */
export function keeperDir(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = process.env.QUORUM_KEEPER_DIR ?? join(process.env.XDG_RUNTIME_DIR ?? tmpdir(), `quorum-${uid}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0)
    throw new Error(`refusing to use ${dir} for the connection keeper: not a private folder of this user`);
  return dir;
}

export const keeperSocket = (dir: string) => join(dir, 'keeper.sock');
export const keeperPidFile = (dir: string) => join(dir, 'keeper.pid');
export const keeperLog = (dir: string) => join(dir, 'keeper.log');

/** Splits a byte stream into lines and hands each parsed JSON object on. */
export function onJsonLines<T>(stream: NodeJS.ReadableStream, handle: (message: T) => void) {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let start = 0;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      if (nl > start) handle(JSON.parse(buffered.slice(start, nl)) as T);
      start = nl + 1;
      nl = buffered.indexOf('\n', start);
    }
    buffered = buffered.slice(start);
  });
}
