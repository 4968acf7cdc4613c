/**
 * Ansible's network facts from ansible-script.ts's sections, as ansible-core 2.19's
 * LinuxNetwork (module_utils/facts/network/linux.py) builds them: interfaces in /sys/class/net's
 * order, each with what sysfs says, its primary then its secondary addresses as `ip` lists
 * them, the default IPv4/IPv6 interface from `ip route get`. ethtool's features are not read
 * (the collector adds them only where ethtool is installed): those keys are absent.
 */
type Iface = Record<string, unknown>;
type Default = Record<string, unknown>;

const INTERFACE_TYPE: Record<string, string> = {
  '1': 'ether',
  '32': 'infiniband',
  '512': 'ppp',
  '772': 'loopback',
  '65534': 'tunnel',
};

function defaultRoute(text: string, queried: string): Default {
  const words = (text.split('\n')[0] ?? '').trim().split(/\s+/);
  const out: Default = {};
  if (words[0] !== queried) return out;
  for (let i = 0; i < words.length - 1; i++) {
    if (words[i] === 'dev') out.interface = words[i + 1];
    else if (words[i] === 'src') out.address = words[i + 1];
    else if (words[i] === 'via' && words[i + 1] !== queried) out.gateway = words[i + 1];
  }
  return out;
}

const ipv4 = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** `ip -o addr show` lines by device: the words Ansible's parser reads (no "N: dev" prefix, no lifetimes). */
function addressLines(text: string): Map<string, string[][]> {
  const byDev = new Map<string, string[][]>();
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?\s.*?)(?:\\|$)/.exec(line);
    if (!m) continue;
    const list = byDev.get(m[1]) ?? [];
    list.push(m[2].trim().split(/\s+/));
    byDev.set(m[1], list);
  }
  return byDev;
}

interface Devices {
  order: string[];
  attrs: Map<string, Map<string, string>>;
}

function sysfsDevices(text: string): Devices {
  const order: string[] = [];
  const attrs = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split('\n')) {
    const at = line.indexOf(' ');
    const [key, value] = at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
    if (key === 'dev') {
      order.push(value);
      current = new Map();
      attrs.set(value, current);
    } else if (current && key) current.set(key, value);
  }
  return { order, attrs };
}

function sysfsIface(device: string, a: Map<string, string>): Iface {
  const iface: Iface = { device };
  const mac = a.get('address');
  if (mac && mac !== '00:00:00:00:00:00') iface.macaddress = mac;
  if (a.has('mtu')) iface.mtu = Number.parseInt(a.get('mtu') ?? '', 10);
  if (a.has('operstate')) iface.active = a.get('operstate') !== 'down';
  if (a.has('module')) iface.module = a.get('module');
  if (a.has('type')) iface.type = INTERFACE_TYPE[a.get('type') ?? ''] ?? 'unknown';
  if (a.has('brif')) {
    iface.type = 'bridge';
    iface.interfaces = (a.get('brif') ?? '').split(' ').filter(Boolean);
    if (a.has('bridge_id')) iface.id = a.get('bridge_id');
    if (a.has('stp_state')) iface.stp = a.get('stp_state') === '1';
  }
  if (a.has('bonding_slaves')) {
    iface.type = 'bonding';
    iface.slaves = (a.get('bonding_slaves') ?? '').split(/\s+/).filter(Boolean);
    for (const k of ['mode', 'miimon', 'lacp_rate']) iface[k] = (a.get(`bonding_${k}`) ?? '').split(/\s+/)[0];
    const primary = a.get('bonding_primary');
    if (primary) {
      iface.primary = primary;
      if (a.get('bonding_all_slaves_active'))
        iface.all_slaves_active = a.get('bonding_all_slaves_active') === '1';
    }
  }
  if (a.has('perm_hwaddr')) iface.perm_macaddress = a.get('perm_hwaddr');
  if (a.has('pciid')) iface.pciid = a.get('pciid');
  if (a.has('speed')) iface.speed = Number.parseInt(a.get('speed') ?? '', 10);
  if (a.has('flags')) iface.promisc = (Number.parseInt(a.get('flags') ?? '0', 16) & 0x100) > 0;
  return iface;
}

export function networkFacts(s: Map<string, string>): Record<string, unknown> {
  if (!s.has('addr')) return {};
  const dev4 = defaultRoute(s.get('route4') ?? '', '8.8.8.8');
  const dev6 = defaultRoute(s.get('route6') ?? '', '2404:6800:400a:800::1012');
  const { order, attrs } = sysfsDevices(s.get('net') ?? '');
  const addrs = addressLines(s.get('addr') ?? '');
  const interfaces = new Map<string, Iface>();
  const all4: string[] = [];
  const all6: string[] = [];
  let macaddress: unknown;
  for (const device of order) {
    const a = attrs.get(device) ?? new Map<string, string>();
    const iface = sysfsIface(device, a);
    interfaces.set(device, iface);
    // the collector's closure reads the last MAC address it read, even another device's
    if (a.has('address')) macaddress = a.get('address') ?? '';
    const rows = addrs.get(device) ?? [];
    const isSecondary = (w: string[]) => w.includes('secondary') || w.includes('temporary');
    const parse = (words: string[], secondary: boolean) => {
      if (words[0] === 'inet') {
        const [address, prefix] = words[1].includes('/') ? words[1].split('/') : [words[1], '32'];
        const broadcast = words[1].includes('/') && words.length > 3 && words[2] === 'brd' ? words[3] : '';
        const bits = Number(prefix);
        const mask = bits === 0 ? 0 : (0xffffffff - (2 ** (32 - bits) - 1)) >>> 0;
        const entry = {
          address,
          broadcast,
          netmask: dotted(mask),
          network: dotted((ipv4(address) & mask) >>> 0),
          prefix,
        };
        const label = words.at(-1) ?? device;
        if (label !== device) interfaces.set(label, {});
        const target = interfaces.get(label) as Iface;
        if (!secondary && !('ipv4' in target)) target.ipv4 = entry;
        else target.ipv4_secondaries = [...((target.ipv4_secondaries as unknown[]) ?? []), entry];
        if (secondary) {
          iface.ipv4_secondaries ??= [];
          if (label !== device) (iface.ipv4_secondaries as unknown[]).push(entry);
        }
        if (dev4.address === address)
          Object.assign(dev4, {
            broadcast,
            netmask: entry.netmask,
            network: entry.network,
            prefix,
            macaddress,
            mtu: iface.mtu,
            type: iface.type ?? 'unknown',
            alias: label,
          });
        if (!address.startsWith('127.')) all4.push(address);
      } else if (words[0] === 'inet6') {
        const peer = words[2] === 'peer';
        const [address, prefix] = peer ? [words[1], words[3].split('/')[1]] : words[1].split('/');
        const scope = peer ? words[5] : words[3];
        iface.ipv6 = [...((iface.ipv6 as unknown[]) ?? []), { address, prefix, scope }];
        if (dev6.address === address)
          Object.assign(dev6, { prefix, scope, macaddress, mtu: iface.mtu, type: iface.type ?? 'unknown' });
        if (address !== '::1') all6.push(address);
      }
    };
    for (const w of rows.filter((r) => !isSecondary(r))) parse(w, false);
    for (const w of rows.filter(isSecondary)) parse(w, true);
  }
  const facts: Record<string, unknown> = {};
  const names: string[] = [];
  for (const [name, iface] of interfaces) {
    const key = name.replaceAll(':', '_');
    names.push(key);
    facts[key] = iface;
  }
  return {
    ...facts,
    interfaces: names,
    default_ipv4: dev4,
    default_ipv6: dev6,
    all_ipv4_addresses: all4,
    all_ipv6_addresses: all6,
    locally_reachable_ips: locallyReachable(s.get('local_routes') ?? ''),
  };
}

/** `local` routes of the local tables, each address once, IPv4 and IPv6 apart. */
function locallyReachable(text: string): { ipv4: string[]; ipv6: string[] } {
  const out = { ipv4: [] as string[], ipv6: [] as string[] };
  for (const line of text.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'local' || !words[1]) continue;
    const list = words[1].includes(':') ? out.ipv6 : out.ipv4;
    if (!list.includes(words[1])) list.push(words[1]);
  }
  return out;
}
