/**
 * ansible.utils' filters over ranges of addresses: ipsubnet, cidr_merge, network_in_usable,
 * network_in_network, next_nth_usable, previous_nth_usable, usable_range (Python's ipaddress), ip4_hex. Built as the collection builds
 * them, on its ipaddr queries (ipaddr.ts), with netaddr's cidr_merge and spanning_cidr in
 * integers; held to the collection by test/template/ip-ranges.test.ts.
 */
import { FilterError } from './filter-error.ts';
import {
  formatAddress,
  formatNetwork,
  type IpNet,
  networkOf,
  parseAddress,
  parseNetwork,
  sizeOf,
  widthOf,
} from './ip-net.ts';
import { ipaddr } from './ipaddr.ts';

/** The value as the filters read it: `type` address gives its cidr, network its subnet. */
function asNetwork(value: unknown): IpNet | undefined {
  const type = ipaddr(value, 'type');
  const text =
    type === 'address' ? ipaddr(value, 'cidr') : type === 'network' ? ipaddr(value, 'subnet') : undefined;
  return typeof text === 'string' ? parseNetwork(text) : undefined;
}

/** An address (or address/prefix) text's integer; what Python compares for False is 0. */
const toInt = (text: unknown) =>
  typeof text === 'string' ? (parseAddress(text.split('/')[0])?.ip ?? 0n) : 0n;

/** _address_normalizer: an address or network's subnet, else false. */
function normalized(value: unknown): unknown {
  try {
    const type = ipaddr(value, 'type');
    return type === 'address' || type === 'network' ? ipaddr(value, 'subnet') : false;
  } catch {
    return false;
  }
}

function inRange(value: unknown, test: unknown, first: string, last: string): boolean {
  const v = normalized(value);
  const w = normalized(test);
  // ipaddr(ipaddr(x, q) or ipaddr(x, 'address'), 'int'), as the collection writes it
  const edge = (x: unknown, q: string) => toInt(ipaddr(x, q) || ipaddr(x, 'address'));
  const [vFirst, vLast] = [edge(v, first), edge(v, last)];
  const [wFirst, wLast] = [edge(w, 'network'), edge(w, 'broadcast')];
  return vFirst <= wFirst && wFirst <= vLast && vFirst <= wLast && wLast <= vLast;
}

function offsetOf(offset: unknown, name: string): bigint {
  if (typeof offset === 'number' && Number.isInteger(offset)) return BigInt(offset);
  if (typeof offset === 'string' && /^\s*[-+]?\d+\s*$/.test(offset)) return BigInt(offset.trim());
  throw new FilterError(
    `${name}: argument 'offset' is of type ${typeof offset} and we were unable to convert to int`,
  );
}

function nthUsable(value: unknown, offset: unknown, sign: 1n | -1n, name: string): unknown {
  // the argument spec is checked before the value is read
  const n = offsetOf(offset, name);
  let v: IpNet | undefined;
  try {
    v = asNetwork(value);
  } catch {
    return false;
  }
  if (!v) return false;
  const size = sizeOf(v);
  if (size <= 1n) return null;
  const first = networkOf(v);
  const [lo, hi] = size === 2n ? [first, first + 1n] : [first + 1n, first + size - 2n];
  const ip = v.ip + sign * n;
  // netaddr's IPAddress of the sum comes first: one outside the address space is an error
  if (ip < 0n || ip >= 1n << BigInt(widthOf(v.version)))
    throw new FilterError(`failed to detect a valid IP address from ${ip}`);
  return lo <= ip && ip <= hi ? formatAddress(v.version, ip) : null;
}

/** netaddr's IPNetwork(...).supernet(prefix): the networks from /prefix down to one bit above the value's. */
function supernets(v: IpNet, prefix: number): IpNet[] {
  const out: IpNet[] = [];
  for (let p = prefix; p < v.prefix; p++) out.push({ ...v, prefix: p, ip: networkOf({ ...v, prefix: p }) });
  return out;
}

export function ipsubnet(value: unknown, query: unknown = '', index?: unknown): unknown {
  const vtype = ipaddr(value, 'type');
  if (!vtype) return false;
  const given = asNetwork(value);
  if (!given) return false;
  const cidr: IpNet = { ...given, ip: networkOf(given) };
  const type = ipaddr(formatNetwork(cidr), 'type');
  const q = String(query ?? '');
  if (!q) return formatNetwork(cidr);
  const bits = widthOf(cidr.version);
  if (/^\d+$/.test(q)) {
    const size = Number(q);
    if (size > bits) return false;
    if (index === undefined || index === null) {
      if (type === 'address') return formatNetwork(supernets(cidr, size)[0] ?? undefinedIndex());
      if (size - cidr.prefix < 0) throw new FilterError(`Requested subnet size of ${size} is invalid`);
      return String(2n ** BigInt(size - cidr.prefix));
    }
    let i = Number(index);
    if (!Number.isInteger(i)) throw new FilterError(`ipsubnet: index ${String(index)} is not an integer`);
    if (type === 'address') {
      if (i > bits + 1 - i || i < size - bits) return false;
      const list = supernets(cidr, size);
      const at = i < 0 ? list.length + i : i;
      if (at < 0 || at >= list.length) undefinedIndex();
      return formatNetwork(list[at]);
    }
    // a larger size gives Python a fraction of one subnet: only index 0 is within it
    if (size < cidr.prefix) return i === 0 ? formatNetwork({ ...cidr, prefix: size }) : false;
    const count = 2n ** BigInt(size - cidr.prefix);
    if (i < 0) i += Number(count);
    if (i < 0 || BigInt(i) >= count) return false;
    return formatNetwork({
      version: cidr.version,
      prefix: size,
      ip: cidr.ip + (BigInt(i) << BigInt(bits - size)),
    });
  }
  const outer = asNetwork(q);
  if (!outer || !['address', 'network'].includes(String(ipaddr(q, 'type'))))
    throw new FilterError(`You must pass a valid subnet or IP address; ${q} is invalid`);
  const shift = BigInt(bits - outer.prefix);
  if (cidr.ip >> shift === outer.ip >> shift) {
    const keep = (1n << BigInt(Math.max(0, cidr.prefix - outer.prefix))) - 1n;
    const within = (cidr.ip & (keep << BigInt(bits - cidr.prefix))) >> BigInt(bits - cidr.prefix);
    return String(within + 1n);
  }
  throw new FilterError(
    `${formatNetwork(cidr)} is not in the subnet ${formatNetwork({ ...outer, ip: networkOf(outer) })}`,
  );
}

function undefinedIndex(): never {
  throw new FilterError('ipsubnet: list index out of range');
}

/** One text as netaddr's IPNetwork reads it (an address is its /32 or /128). */
function network(text: unknown): IpNet {
  const s = String(text);
  const n = s.includes('/')
    ? parseNetwork(s)
    : (() => {
        const a = parseAddress(s);
        return a && { ...a, prefix: widthOf(a.version) };
      })();
  if (!n) throw new FilterError(`cidr_merge: error in netaddr:\ninvalid IPNetwork ${s}`);
  return n;
}

/** Math.max and Math.min take no bigints. */
const larger = (a: bigint, b: bigint) => (a > b ? a : b);
const smaller = (a: bigint, b: bigint) => (a < b ? a : b);

/** netaddr's iprange_to_cidrs: the fewest CIDR blocks covering first..last. */
function blocks(version: 4 | 6, first: bigint, last: bigint): IpNet[] {
  const out: IpNet[] = [];
  const bits = widthOf(version);
  let at = first;
  for (let guard = 0; at <= last && guard < 2 * bits + 2; guard++) {
    let prefix = bits;
    while (prefix > 0) {
      const size = 1n << BigInt(bits - prefix + 1);
      if (at % size !== 0n || at + size - 1n > last) break;
      prefix--;
    }
    out.push({ version, prefix, ip: at });
    at += 1n << BigInt(bits - prefix);
  }
  return out;
}

export function cidrMerge(value: unknown, action: unknown = 'merge'): unknown {
  if (!Array.isArray(value)) throw new FilterError(`cidr_merge: expected iterable, got ${String(value)}`);
  if (action === 'merge') {
    const ranges = value
      .map(network)
      .map((n) => ({ version: n.version, first: networkOf(n), last: networkOf(n) + sizeOf(n) - 1n }))
      .sort((a, b) => a.version - b.version || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: typeof ranges = [];
    for (const r of ranges) {
      const top = merged.at(-1);
      if (top && top.version === r.version && r.first <= top.last + 1n) top.last = larger(r.last, top.last);
      else merged.push({ ...r });
    }
    return merged.flatMap((r) => blocks(r.version, r.first, r.last)).map(formatNetwork);
  }
  if (action === 'span') {
    if (value.length === 0) return null;
    if (value.length === 1) return formatNetwork(network(value[0]));
    const nets = value.map(network);
    if (nets.some((n) => n.version !== nets[0].version))
      throw new FilterError('cidr_merge: error in netaddr:\nIP sequence must contain the same IP version');
    const low = nets.map(networkOf).reduce(smaller);
    const high = nets.map((n) => networkOf(n) + sizeOf(n) - 1n).reduce(larger);
    const bits = widthOf(nets[0].version);
    let prefix = bits;
    while (prefix > 0 && low >> BigInt(bits - prefix) !== high >> BigInt(bits - prefix)) prefix--;
    return formatNetwork({
      version: nets[0].version,
      prefix,
      ip: networkOf({ version: nets[0].version, prefix, ip: low }),
    });
  }
  throw new FilterError(`cidr_merge: invalid action '${String(action)}'`);
}

/** usable_range: every address of the network (Python's ipaddress, strict: no host bits) and their count. */
function usableRange(value: unknown): unknown {
  const fail = (why: string): never => {
    throw new FilterError(`Error while using plugin 'usable_range': ${why}`);
  };
  if (typeof value !== 'string') fail(`${String(value)} is not a string`);
  const text = value as string;
  const net = parseNetwork(text);
  if (!net) return fail(`'${text}' does not appear to be an IPv4 or IPv6 network`);
  if (networkOf(net) !== net.ip) fail(`${text} has host bits set`);
  const count = sizeOf(net);
  // Python would list them all, whatever it takes; past a million quorum says so instead
  if (count > 1n << 20n) fail(`${text} has ${count} addresses: quorum lists at most ${1 << 20}`);
  const ips = Array.from({ length: Number(count) }, (_, i) => formatAddress(net.version, net.ip + BigInt(i)));
  return { usable_ips: ips, number_of_ips: Number(count) };
}

/** ip4_hex: an IPv4 address's four numbers in two hex digits each, with a delimiter between. */
function ip4Hex(value: unknown, delimiter: unknown = ''): string {
  const a = typeof value === 'string' ? parseAddress(value) : undefined;
  if (a?.version !== 4)
    throw new FilterError(`You must pass a valid IP address; ${String(value)} is invalid`);
  return (value as string)
    .split('.')
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join(String(delimiter));
}

export const IP_RANGE_FILTERS: Record<string, (v: unknown, ...a: unknown[]) => unknown> = {
  usable_range: usableRange,
  ip4_hex: ip4Hex,
  ipsubnet,
  cidr_merge: cidrMerge,
  network_in_usable: (v, t) => inRange(v, t, 'first_usable', 'last_usable'),
  network_in_network: (v, t) => inRange(v, t, 'network', 'broadcast'),
  next_nth_usable: (v, o) => nthUsable(v, o, 1n, 'next_nth_usable'),
  previous_nth_usable: (v, o) => nthUsable(v, o, -1n, 'previous_nth_usable'),
};
