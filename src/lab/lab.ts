/**
 * `quorum lab up | down | status`: real hosts on this machine, each a set of namespaces with
 * a real sshd. `up` is idempotent; `down` removes every namespace, link, layer and process the
 * lab started (by the PIDs it recorded), and also cleans up after a crashed `up`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { InputError } from '../errors.ts';
import { isOurs } from '../processes.ts';
import { bootHost, createNetwork, hostDir, portOpen, prepareUpperLayer, waitForSsh } from './host.ts';
import { ok, run } from './sys.ts';
import {
  APT_PROXY_PORT,
  BENCH_NET,
  BRIDGE,
  LAB_NET,
  type LabHost,
  labInventory,
  labTopology,
} from './topology.ts';

export const DEFAULT_STATE_DIR = '/var/lib/quorum-lab';

export interface LabState {
  hosts: Array<LabHost & { pid: number }>;
  proxyPid?: number;
  /** This machine's neighbour table limits before a bench lab raised them: `down` puts them back. */
  neighbourLimits?: Record<string, string>;
}

export type LabLog = (message: string) => void;

export function stateDir(): string {
  return process.env.QUORUM_LAB_DIR ?? DEFAULT_STATE_DIR;
}

function requireRootLinux() {
  if (process.platform !== 'linux')
    throw new InputError('LAB', 'the lab needs Linux (network, mount and PID namespaces)');
  if (process.getuid?.() !== 0)
    throw new InputError(
      'LAB',
      'the lab needs root (it creates namespaces, a bridge and mounts)',
      undefined,
      'run it with sudo',
    );
}

export function readState(dir = stateDir()): LabState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** ssh's arguments to run on lab host `name` as root (the lab's key, its known_hosts checked), or undefined for no such host. */
export function labSshArgs(name: string): string[] | undefined {
  const dir = stateDir();
  const host = readState(dir)?.hosts.find((h) => h.name === name);
  if (!host) return undefined;
  return [
    '-i',
    join(dir, 'id_ed25519'),
    '-o',
    `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o',
    'StrictHostKeyChecking=yes',
    `root@${host.address}`,
  ];
}

function writeState(dir: string, state: LabState) {
  writeFileSync(join(dir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

/** Text only the boot command line of this lab's host has: its own layer's path. */
function bootMarker(dir: string, host: LabHost): string {
  return `${hostDir(dir, host)}/upper`;
}

async function ensureBridge(hosts: LabHost[]) {
  if (!(await ok('ip', ['link', 'show', BRIDGE]))) await run('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  await run('ip', ['addr', 'replace', `${LAB_NET.controller}/${LAB_NET.mask}`, 'dev', BRIDGE]);
  if (hosts.some((h) => h.gateway === BENCH_NET.controller))
    await run('ip', ['addr', 'replace', `${BENCH_NET.controller}/${BENCH_NET.mask}`, 'dev', BRIDGE]);
  await run('ip', ['link', 'set', BRIDGE, 'up']);
}

/** apt-cacher-ng on the controller address, so `apt-get install` works inside hosts. */
async function ensureAptProxy(
  dir: string,
  previous: number | undefined,
  log: LabLog,
): Promise<number | undefined> {
  if (await portOpen(LAB_NET.controller, APT_PROXY_PORT))
    return isOurs(previous, 'apt-cacher-ng') ? previous : undefined;
  if (!existsSync('/usr/sbin/apt-cacher-ng')) {
    log(
      'warning: apt-cacher-ng is not installed; apt-get inside lab hosts will not work (apt-get install apt-cacher-ng)',
    );
    return undefined;
  }
  for (const d of ['apt-cache', 'apt-log', 'apt-conf']) mkdirSync(join(dir, d), { recursive: true });
  // Our own config: Debian's default remaps deb.debian.org to mirrors from a list this
  // machine may not reach; as a plain caching proxy it fetches from the host apt asked for.
  const conf = [
    `CacheDir: ${dir}/apt-cache`,
    `LogDir: ${dir}/apt-log`,
    'SupportDir: /usr/lib/apt-cacher-ng',
    `Port: ${APT_PROXY_PORT}`,
    `BindAddress: ${LAB_NET.controller}`,
    `PidFile: ${dir}/apt-proxy.pid`,
    `SocketPath: ${dir}/apt-proxy.sock`,
    'ForeGround: 1',
    'PassThroughPattern: .*',
  ];
  writeFileSync(join(dir, 'apt-conf', 'acng.conf'), `${conf.join('\n')}\n`);
  const out = openSync(join(dir, 'apt-proxy.log'), 'w');
  const child = spawn('/usr/sbin/apt-cacher-ng', ['-c', join(dir, 'apt-conf')], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  child.unref();
  for (let i = 0; i < 50 && !(await portOpen(LAB_NET.controller, APT_PROXY_PORT)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return child.pid;
}

export async function labUp(count: number, log: LabLog): Promise<LabState> {
  requireRootLinux();
  const dir = stateDir();
  const hosts = labTopology(count);
  let previous = readState(dir);
  if (previous && previous.hosts.map((h) => h.name).join() !== hosts.map((h) => h.name).join()) {
    log(`the lab is up with ${previous.hosts.length} hosts; taking it down first`);
    await labDown(log);
    previous = undefined;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = join(dir, 'id_ed25519');
  if (!existsSync(key))
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'quorum-lab', '-f', key]);
  const publicKey = readFileSync(`${key}.pub`, 'utf8');
  await ensureBridge(hosts);
  const neighbourLimits = previous?.neighbourLimits ?? raiseNeighbourLimits(hosts.length);
  const proxyPid = await ensureAptProxy(dir, previous?.proxyPid, log);
  const hostsFile = `127.0.0.1 localhost\n::1 localhost\n${LAB_NET.controller} controller\n${hosts.map((h) => `${h.address} ${h.name}`).join('\n')}\n`;
  const limit = pLimit(8);
  const started = await Promise.all(
    hosts.map((host) =>
      limit(async () => {
        const old = previous?.hosts.find((h) => h.name === host.name);
        if (old && isOurs(old.pid, bootMarker(dir, host)) && (await portOpen(host.address, 22)))
          return { ...host, pid: old.pid };
        await createNetwork(host);
        await prepareUpperLayer(dir, host, publicKey, hostsFile);
        const pid = bootHost(dir, host);
        if (!(await waitForSsh(host))) {
          const boot = readFileSync(join(hostDir(dir, host), 'boot.log'), 'utf8')
            .trim()
            .split('\n')
            .slice(-5)
            .join('\n');
          throw new Error(`lab host ${host.name} did not start sshd on ${host.address}:22\n${boot}`);
        }
        return { ...host, pid };
      }),
    ),
  );
  const state: LabState = { hosts: started, proxyPid, ...(neighbourLimits ? { neighbourLimits } : {}) };
  writeState(dir, state);
  const knownHosts = started
    .map((h) => {
      const pub = readFileSync(join(hostDir(dir, h), 'upper/etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').split(
        ' ',
      );
      return `${h.address},${h.name} ${pub[0]} ${pub[1]}`;
    })
    .join('\n');
  writeFileSync(join(dir, 'known_hosts'), `${knownHosts}\n`);
  writeFileSync(join(dir, 'inventory.yml'), labInventory(started, dir));
  log(
    `lab up: ${started.length} hosts on ${started[0].gateway}/${started[0].mask}; inventory ${join(dir, 'inventory.yml')}`,
  );
  return state;
}

const NEIGHBOUR = '/proc/sys/net/ipv4/neigh/default/';

/**
 * The controller keeps one neighbour (ARP) entry per lab host; past gc_thresh3 (1,024 on
 * Debian) the kernel drops entries and connections stall ("neighbour table overflow"). A lab
 * of more than 400 hosts raises the limits to 4x its size and says what they were.
 */
function raiseNeighbourLimits(count: number): Record<string, string> | undefined {
  if (count <= 400) return undefined;
  const before: Record<string, string> = {};
  for (const [name, factor] of [
    ['gc_thresh1', 1],
    ['gc_thresh2', 2],
    ['gc_thresh3', 4],
  ] as const) {
    before[name] = readFileSync(NEIGHBOUR + name, 'utf8').trim();
    if (Number(before[name]) < count * factor) writeFileSync(NEIGHBOUR + name, String(count * factor));
  }
  return before;
}

/** A process that has not ended (a zombie, ended but not yet reaped, counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export async function labDown(log: LabLog): Promise<void> {
  requireRootLinux();
  const dir = stateDir();
  const state = readState(dir);
  const kills: number[] = [];
  for (const h of state?.hosts ?? []) if (isOurs(h.pid, bootMarker(dir, h))) kills.push(h.pid);
  if (isOurs(state?.proxyPid, 'apt-cacher-ng')) kills.push(state!.proxyPid!);
  for (const pid of kills) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  // a kill is delivered, not done: down returns once they are gone (5 s at most; found by CI
  // on a loaded machine, where the apt proxy was still listed right after down)
  for (let i = 0; i < 100 && kills.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  // also what a crashed `up` may have left: every qlab-* namespace and qv-* link
  const namespaces = (await run('ip', ['netns', 'list'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith('qlab-'));
  for (const ns of namespaces) {
    // processes still inside a namespace we created (and only those) are ended by PID
    const pids = (await run('ip', ['netns', 'pids', ns], { allowFail: true })).stdout
      .split('\n')
      .filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {}
    }
    await run('ip', ['netns', 'del', ns], { allowFail: true });
  }
  const links = (await run('ip', ['-o', 'link', 'show'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1])
    .filter((n): n is string => !!n && n.startsWith('qv-'));
  for (const l of links) await run('ip', ['link', 'del', l], { allowFail: true });
  await run('ip', ['link', 'del', BRIDGE], { allowFail: true });
  if (existsSync(join(dir, 'hosts'))) {
    for (const h of readdirSync(join(dir, 'hosts')))
      await run('umount', ['-l', join(dir, 'hosts', h, 'root')], { allowFail: true });
  }
  rmSync(join(dir, 'hosts'), { recursive: true, force: true });
  for (const [name, value] of Object.entries(state?.neighbourLimits ?? {}))
    writeFileSync(NEIGHBOUR + name, value);
  // the proxy's runtime files go with it; its cache stays on purpose (the next `lab up` installs
  // from it instead of downloading again) along with the lab's key
  for (const f of [
    'state.json',
    'known_hosts',
    'inventory.yml',
    'apt-proxy.pid',
    'apt-proxy.sock',
    'apt-proxy.log',
  ])
    rmSync(join(dir, f), { force: true });
  rmSync(join(dir, 'apt-conf'), { recursive: true, force: true });
  log(`lab down: ended ${kills.length} process(es), removed ${namespaces.length} namespace(s)`);
}

export async function labStatus(): Promise<
  Array<{ name: string; address: string; running: boolean; ssh: boolean }>
> {
  const state = readState();
  return Promise.all(
    (state?.hosts ?? []).map(async (h) => ({
      name: h.name,
      address: h.address,
      running: isOurs(h.pid, bootMarker(stateDir(), h)),
      ssh: await portOpen(h.address, 22),
    })),
  );
}
