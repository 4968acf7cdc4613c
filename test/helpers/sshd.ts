/**
 * A real OpenSSH sshd on loopback for transport tests: its own config, host keys and
 * certificates in a test folder, root login by one client key. Started and stopped by PID.
 * Needs root (sshd's privilege separation) and openssh-server.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';

export const canRunSshd =
  process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/sbin/sshd');

/** Runs ssh-keygen; throws with its stderr when it fails. */
export function sshKeygen(args: string[]): string {
  const r = spawnSync('ssh-keygen', ['-q', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A new key pair at `path` (and `path`.pub); returns the public key line. */
export function newKey(path: string, type: string, extra: string[] = []): string {
  sshKeygen(['-N', '', '-t', type, ...extra, '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim();
}

/** Signs `pub` with the CA key at `ca`; returns the certificate's path. */
export function certify(ca: string, pub: string, id: string, options: string[]): string {
  sshKeygen(['-s', ca, '-I', id, ...options, pub]);
  return pub.replace(/\.pub$/, '-cert.pub');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('data', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Sshd {
  port: number;
  stop(): void;
}

/** Starts sshd on 127.0.0.1 with these host keys and certificates; waits (bounded) for its banner. */
export async function startSshd(
  dir: string,
  name: string,
  hostKeys: string[],
  certificates: string[],
  authorizedKeys: string,
): Promise<Sshd> {
  const port = await freePort();
  // sshd refuses to start without its privilege separation folder
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(dir, `sshd-${name}.conf`);
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      ...hostKeys.map((k) => `HostKey ${k}`),
      ...certificates.map((c) => `HostCertificate ${c}`),
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'PidFile none',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: 'ignore' });
  const stop = () => {
    if (child.exitCode === null && child.pid) process.kill(child.pid);
  };
  for (let i = 0; i < 50; i++) {
    if (await answers(port)) return { port, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`sshd ${name} did not answer on 127.0.0.1:${port}`);
}

/** OpenSSH's own verdict: does `ssh` trust this host with only this known_hosts file? */
export function opensshAccepts(port: number, knownHosts: string, clientKey: string): boolean {
  const r = spawnSync(
    'ssh',
    [
      ...['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', 'IdentitiesOnly=yes'],
      ...['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null'],
      ...['-F', '/dev/null', '-i', clientKey, '-p', String(port), 'root@127.0.0.1', 'true'],
    ],
    { encoding: 'utf8', timeout: 15_000 },
  );
  return r.status === 0;
}
