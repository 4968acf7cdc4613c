/** Host facts in one read-only round trip: a shell script prints key=value lines, we parse them. */
import type { Transport } from '../transport/types.ts';

export interface Facts {
  os_id: string;
  os_version: string;
  os_family: string;
  arch: string;
  kernel: string;
  init_system: 'systemd' | 'sysvinit' | 'none';
  pkg_mgr: 'apt' | 'dnf' | 'yum' | '';
  hostname: string;
  interfaces: Record<string, string[]>;
  default_interface: string;
  default_ipv4: string;
  cpus: number;
  memory_mb: number;
  cgroup_version: 1 | 2;
  swap_active: boolean;
  /** Ansible's names need these too: swap size, the release's code name. */
  swap_mb: number;
  os_codename: string;
}

/**
 * Shell built-ins and file reads wherever they serve: the script starts two programs (uname for
 * the machine, one `ip -batch` for addresses and the default route) where it once started ~20
 * (each ~2 ms of a host's CPU: a converged run on many hosts is mostly such starts).
 */
export const FACTS_SCRIPT = [
  '. /etc/os-release 2>/dev/null',
  'echo "os_id=${ID:-unknown}"',
  'echo "os_version=${VERSION_ID:-}"',
  'echo "os_like=${ID_LIKE:-}"',
  'echo "codename=${VERSION_CODENAME:-}"',
  'while read -r k v _; do case $k in MemTotal:) echo "mem_kb=$v";; SwapTotal:) echo "swap_kb=$v";; esac; done < /proc/meminfo',
  'echo "arch=$(uname -m)"',
  'read -r k < /proc/sys/kernel/osrelease && echo "kernel=$k"',
  'if [ -d /run/systemd/system ]; then echo init=systemd; elif [ -d /etc/init.d ]; then echo init=sysvinit; else echo init=none; fi',
  'if command -v apt-get >/dev/null 2>&1; then echo pkg=apt; elif command -v dnf >/dev/null 2>&1; then echo pkg=dnf; elif command -v yum >/dev/null 2>&1; then echo pkg=yum; else echo pkg=; fi',
  // gethostname(2) is the UTS name the kernel shows here
  'read -r h < /proc/sys/kernel/hostname && echo "hostname=$h"',
  // the processors this shell may run on (sched_getaffinity, as nproc counts them)
  'while read -r k v; do [ "$k" = Cpus_allowed_list: ] && echo "cpu_list=$v"; done < /proc/self/status',
  // a cgroup2 mount at the top has cgroup.controllers (hybrid and v1 put a tmpfs there)
  'if [ -e /sys/fs/cgroup/cgroup.controllers ]; then echo cgroupfs=cgroup2fs; else echo cgroupfs=; fi',
  // the lines after /proc/swaps' header
  'n=-1; while read -r l; do n=$((n + 1)); done 2>/dev/null < /proc/swaps; [ $n -lt 0 ] && n=0; echo "swaps=$n"',
  // raw lines to the end: `N: dev inet ADDR/LEN ...` and `default via ... dev DEV`
  'echo @@ip',
  "ip -o -4 -batch - 2>/dev/null <<'EOF'",
  'addr show',
  'route show default',
  'EOF',
].join('\n');

/** "0-3,8,10-11": how many processors the list names. */
export function cpuCount(list: string): number {
  let n = 0;
  for (const part of list.split(',')) {
    const [from, to = from] = part.trim().split('-').map(Number);
    if (Number.isInteger(from) && Number.isInteger(to) && to >= from) n += to - from + 1;
  }
  return n || 1;
}

export function parseFacts(text: string): Facts {
  const interfaces: Record<string, string[]> = {};
  const kv = new Map<string, string>();
  const [head, ipLines = ''] = text.split('\n@@ip\n');
  for (const line of head.split('\n')) {
    const at = line.indexOf('=');
    if (at >= 0) kv.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  let route = '';
  for (const line of ipLines.split('\n')) {
    const addr = /^\d+:\s+(\S+)\s+inet\s+(\S+)/.exec(line);
    if (addr) (interfaces[addr[1]] ??= []).push(addr[2]);
    else if (!route && line.startsWith('default ')) route = line;
  }
  const defaultInterface = /\bdev (\S+)/.exec(route)?.[1] ?? '';
  const osId = kv.get('os_id') ?? 'unknown';
  const like = kv.get('os_like') ?? '';
  const family = /debian|ubuntu/.test(`${osId} ${like}`)
    ? 'debian'
    : /rhel|fedora|centos/.test(`${osId} ${like}`)
      ? 'redhat'
      : osId;
  return {
    os_id: osId,
    os_version: kv.get('os_version') ?? '',
    os_family: family,
    arch: kv.get('arch') ?? '',
    kernel: kv.get('kernel') ?? '',
    init_system: (kv.get('init') as Facts['init_system']) ?? 'none',
    pkg_mgr: (kv.get('pkg') as Facts['pkg_mgr']) ?? '',
    hostname: kv.get('hostname') ?? '',
    interfaces,
    default_interface: defaultInterface,
    default_ipv4: (interfaces[defaultInterface]?.[0] ?? '').split('/')[0],
    cpus: cpuCount(kv.get('cpu_list') ?? ''),
    memory_mb: Math.round(Number(kv.get('mem_kb') ?? 0) / 1024),
    cgroup_version: kv.get('cgroupfs') === 'cgroup2fs' ? 2 : 1,
    swap_active: Number(kv.get('swaps') ?? 0) > 0,
    swap_mb: Math.round(Number(kv.get('swap_kb') ?? 0) / 1024),
    os_codename: kv.get('codename') ?? '',
  };
}

const cache = new WeakMap<Transport, Promise<Facts>>();

/** Facts of one host, gathered once per run (per transport) and shared by every step. */
export function gatherFacts(transport: Transport): Promise<Facts> {
  let facts = cache.get(transport);
  if (!facts) {
    facts = transport.exec(FACTS_SCRIPT, { purpose: 'probe' }).then((r) => {
      if (r.code !== 0 && !r.stdout) throw new Error(`fact gathering failed: ${r.stderr.trim()}`);
      return parseFacts(r.stdout);
    });
    cache.set(transport, facts);
  }
  return facts;
}

/** Facts for hosts that were not asked (gather_facts: false): nothing is assumed. */
export const NO_FACTS: Facts = {
  os_id: '',
  os_version: '',
  os_family: '',
  arch: '',
  kernel: '',
  init_system: 'none',
  pkg_mgr: '',
  hostname: '',
  interfaces: {},
  default_interface: '',
  default_ipv4: '',
  cpus: 0,
  memory_mb: 0,
  cgroup_version: 2,
  swap_active: false,
  swap_mb: 0,
  os_codename: '',
};
