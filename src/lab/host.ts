/**
 * One lab host: a network namespace on the lab bridge, and inside it a process in its own
 * mount, PID and UTS namespaces whose root is an overlay of this machine's root with the
 * host's own upper layer, running a real sshd (under tini, which reaps orphaned daemons).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { quote } from '../transport/shell.ts';
import { ok, run } from './sys.ts';
import { APT_PROXY_PORT, BRIDGE, LAB_NET, type LabHost } from './topology.ts';

export function hostDir(stateDir: string, host: LabHost): string {
  return join(stateDir, 'hosts', host.name);
}

export async function createNetwork(host: LabHost) {
  if (!(await ok('ip', ['netns', 'pids', host.netns]))) await run('ip', ['netns', 'add', host.netns]);
  if (!(await ok('ip', ['link', 'show', host.veth]))) {
    await run('ip', ['link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
  }
  await run('ip', ['link', 'set', host.veth, 'master', BRIDGE, 'up']);
  const inNs = (args: string[]) => run('ip', ['netns', 'exec', host.netns, ...args], { allowFail: true });
  await inNs(['ip', 'addr', 'replace', `${host.address}/${host.mask}`, 'dev', 'eth0']);
  await inNs(['ip', 'link', 'set', 'eth0', 'up']);
  await inNs(['ip', 'link', 'set', 'lo', 'up']);
  // the apt proxy listens on LAB_NET.controller, a bench lab's hosts reach it through this route
  await inNs(['ip', 'route', 'replace', 'default', 'via', host.gateway]);
}

/** Files the host sees instead of the machine's: its own host key, the lab's authorized key,
 * an empty root .bashrc (root's real one runs pyenv: 0.6 s on every command), apt's proxy. */
export async function prepareUpperLayer(
  stateDir: string,
  host: LabHost,
  publicKey: string,
  hostsFile: string,
) {
  const dir = hostDir(stateDir, host);
  const upper = join(dir, 'upper');
  for (const d of ['etc/ssh', 'root/.ssh', 'etc/apt/apt.conf.d'])
    mkdirSync(join(upper, d), { recursive: true });
  for (const d of ['work', 'root']) mkdirSync(join(dir, d), { recursive: true });
  const key = join(upper, 'etc/ssh/ssh_host_ed25519_key');
  if (!(await ok('test', ['-f', key])))
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', host.name, '-f', key]);
  writeFileSync(join(upper, 'root/.ssh/authorized_keys'), publicKey, { mode: 0o600 });
  writeFileSync(join(upper, 'root/.bashrc'), '# lab host: intentionally empty\n');
  writeFileSync(join(upper, 'root/.profile'), '# lab host: intentionally empty\n');
  writeFileSync(join(upper, 'etc/hostname'), `${host.name}\n`);
  writeFileSync(join(upper, 'etc/hosts'), hostsFile);
  writeFileSync(
    join(upper, 'etc/apt/apt.conf.d/01quorum-lab-proxy'),
    // repositories served on the controller itself (a site's mirror, the tests' stand-ins) are
    // reached directly, not through the caching proxy
    `Acquire::http::Proxy "http://${LAB_NET.controller}:${APT_PROXY_PORT}";\nAcquire::http::Proxy::${LAB_NET.controller} "DIRECT";\nAcquire::https::Proxy "DIRECT";\n`,
  );
}

function bootScript(stateDir: string, host: LabHost): string {
  const dir = hostDir(stateDir, host);
  const m = join(dir, 'root');
  const q = quote;
  return [
    'set -e',
    'mount --make-rprivate /',
    `mount -t overlay overlay -o ${q(`lowerdir=/,upperdir=${dir}/upper,workdir=${dir}/work`)} ${q(m)}`,
    `mount -t proc proc ${q(`${m}/proc`)}`,
    `mount -t sysfs sysfs ${q(`${m}/sys`)}`,
    `mount --rbind /dev ${q(`${m}/dev`)}`,
    `mount -t tmpfs tmpfs ${q(`${m}/run`)}`,
    `mount -t tmpfs tmpfs ${q(`${m}/tmp`)}`,
    // the lab's private key and the other hosts' layers stay invisible inside a host
    `mount -t tmpfs tmpfs ${q(`${m}${stateDir}`)}`,
    `hostname ${q(host.name)}`,
    // what a booted Debian has in its fresh /run (systemd-tmpfiles): sshd's folder, and
    // /run/lock (/var/lock), where init scripts such as apache2's make their lock files
    `mkdir -p ${q(`${m}/run/sshd`)} ${q(`${m}/run/lock`)}`,
    `chmod 1777 ${q(`${m}/run/lock`)}`,
    `exec chroot ${q(m)} /usr/bin/tini -s -- /usr/sbin/sshd -D -e -o ListenAddress=${host.address} -o HostKey=/etc/ssh/ssh_host_ed25519_key -o PidFile=none -o UseDNS=no -o PermitRootLogin=prohibit-password -o MaxSessions=30 -o MaxStartups=200`,
  ].join('\n');
}

/** Starts the host's namespaces and sshd; returns the PID of the `unshare` process. */
export function bootHost(stateDir: string, host: LabHost): number {
  const log = openSync(join(hostDir(stateDir, host), 'boot.log'), 'w');
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      host.netns,
      'unshare',
      '--mount',
      '--uts',
      '--pid',
      '--fork',
      '--kill-child',
      '--',
      '/bin/sh',
      '-c',
      bootScript(stateDir, host),
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  if (!child.pid) throw new Error(`could not start lab host ${host.name}`);
  return child.pid;
}

export function portOpen(address: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port, timeout: timeoutMs });
    const done = (v: boolean) => {
      sock.destroy();
      resolve(v);
    };
    sock.once('connect', () => done(true));
    sock.once('timeout', () => done(false));
    sock.once('error', () => done(false));
  });
}

/** Bounded wait for sshd to answer on the host's address. */
export async function waitForSsh(host: LabHost, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(host.address, 22)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
