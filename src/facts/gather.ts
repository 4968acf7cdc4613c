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
  /** Ansible's names need these too: swap size, the release's code name, python3's version. */
  swap_mb: number;
  os_codename: string;
  python_version: string;
}

export const FACTS_SCRIPT = [
  '. /etc/os-release 2>/dev/null',
  'echo "os_id=${ID:-unknown}"',
  'echo "os_version=${VERSION_ID:-}"',
  'echo "os_like=${ID_LIKE:-}"',
  'echo "codename=${VERSION_CODENAME:-}"',
  'echo "swap_kb=$(awk \'/^SwapTotal:/ {print $2}\' /proc/meminfo)"',
  'p=/usr/bin/python3; [ -x $p ] || p=python3; echo "python=$($p --version 2>/dev/null | cut -d" " -f2)"',
  'echo "arch=$(uname -m)"',
  'echo "kernel=$(uname -r)"',
  'if [ -d /run/systemd/system ]; then echo init=systemd; elif [ -d /etc/init.d ]; then echo init=sysvinit; else echo init=none; fi',
  'if command -v apt-get >/dev/null 2>&1; then echo pkg=apt; elif command -v dnf >/dev/null 2>&1; then echo pkg=dnf; elif command -v yum >/dev/null 2>&1; then echo pkg=yum; else echo pkg=; fi',
  'echo "hostname=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"',
  'ip -o -4 addr show 2>/dev/null | while read -r _ dev _ addr _; do echo "addr=$dev $addr"; done',
  'echo "route=$(ip -4 route show default 2>/dev/null | head -n1)"',
  'echo "cpus=$(nproc 2>/dev/null || echo 1)"',
  'echo "mem_kb=$(awk \'/^MemTotal:/ {print $2}\' /proc/meminfo)"',
  'echo "cgroupfs=$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"',
  'echo "swaps=$(tail -n +2 /proc/swaps 2>/dev/null | wc -l)"',
].join('\n');

export function parseFacts(text: string): Facts {
  const interfaces: Record<string, string[]> = {};
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const key = line.slice(0, at);
    const value = line.slice(at + 1).trim();
    if (key === 'addr') {
      const [dev, addr] = value.split(' ');
      (interfaces[dev] ??= []).push(addr);
    } else kv.set(key, value);
  }
  const route = kv.get('route') ?? '';
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
    cpus: Number(kv.get('cpus') ?? 1),
    memory_mb: Math.round(Number(kv.get('mem_kb') ?? 0) / 1024),
    cgroup_version: kv.get('cgroupfs') === 'cgroup2fs' ? 2 : 1,
    swap_active: Number(kv.get('swaps') ?? 0) > 0,
    swap_mb: Math.round(Number(kv.get('swap_kb') ?? 0) / 1024),
    os_codename: kv.get('codename') ?? '',
    python_version: kv.get('python') ?? '',
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
  python_version: '',
};
