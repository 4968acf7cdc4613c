/**
 * ansible.utils' ipaddr family of filters (ipaddr, ipv4, ipv6, ipwrap, ipmath, nthhost), as its
 * plugin_utils/base/ipaddr_utils.py computes them over netaddr 1.3: the same queries, the same
 * answers (text, a number, False, None), the same errors. Held to the collection itself by
 * test/template/ipaddr.test.ts.
 */
import { FilterError } from './filter-error.ts';
import {
  broadcastOf,
  formatAddress,
  formatNetwork,
  host,
  hostmaskOf,
  type IpNet,
  isGlobal,
  LINK_LOCAL,
  LOOPBACK,
  MULTICAST,
  netmaskOf,
  networkOf,
  parseAddress,
  parseNetwork,
  sizeOf,
  widthOf,
  within,
} from './ip-net.ts';

type Vtype = 'address' | 'network';
type Query = (v: IpNet, vtype: Vtype, value: unknown, lookup?: IpNet) => unknown;

const powerOfTwo = (x: bigint) => (x & (x - 1n)) === 0n;
const all = (n: IpNet) => (1n << BigInt(widthOf(n.version))) - 1n;

const addr = (n: IpNet, ip = n.ip) => formatAddress(n.version, ip);
const slash = (n: IpNet, ip = n.ip) => `${addr(n, ip)}/${n.prefix}`;
const isNetworkAddress = (n: IpNet) => n.ip === networkOf(n);

/** A Python int for Jinja: exact, or refused where a JavaScript number would round it. */
function exact(n: bigint, what: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER))
    throw new FilterError(`${what} ${n} is past what quorum computes exactly`);
  return Number(n);
}

function firstLast(v: IpNet): [bigint, bigint] {
  const first = networkOf(v);
  const last = first + sizeOf(v) - 1n;
  return sizeOf(v) === 2n ? [first, last] : [first + 1n, last - 1n];
}

const needsNetwork = (vtype: Vtype) => {
  if (vtype === 'address') throw new FilterError('Not a network address');
};

const addressPrefix: Query = (v) => {
  if (sizeOf(v) > 2n && (v.ip === networkOf(v) || v.ip === broadcastOf(v))) return false;
  return slash(v);
};

const QUERIES: Record<string, Query> = {
  // netaddr's IPNetwork is true whatever its address (0.0.0.0 too)
  '': (v, vtype) => (vtype === 'address' ? addr(v) : slash(v)),
  address: (v) => {
    if (sizeOf(v) === 1n) return addr(v);
    if (!isNetworkAddress(v) || broadcastOf(v) === undefined || v.version === 6) return addr(v);
    return null;
  },
  'address/prefix': addressPrefix,
  bool: () => true,
  broadcast: (v) => (sizeOf(v) > 2n ? addr(v, broadcastOf(v)) : null),
  cidr: (v) => slash(v),
  cidr_lookup: (v, _t, value, lookup) => (lookup && within(v, lookup) ? value : null),
  first_usable: (v, vtype) => {
    needsNetwork(vtype);
    if (sizeOf(v) === 2n) return addr(v, networkOf(v));
    return sizeOf(v) > 1n ? addr(v, networkOf(v) + 1n) : null;
  },
  gateway: addressPrefix,
  gw: addressPrefix,
  host: (v) => {
    if (sizeOf(v) === 1n) return slash(v);
    return !isNetworkAddress(v) || broadcastOf(v) === undefined ? slash(v) : null;
  },
  'host/prefix': addressPrefix,
  hostmask: (v) => addr(v, hostmaskOf(v)),
  hostnet: addressPrefix,
  int: (v, vtype) => (vtype === 'address' ? exact(v.ip, 'the address') : `${v.ip}/${v.prefix}`),
  'ip/prefix': (v) => (sizeOf(v) === 2n || (sizeOf(v) > 1n && !isNetworkAddress(v)) ? slash(v) : null),
  ip_netmask: (v) =>
    sizeOf(v) === 2n || (sizeOf(v) > 1n && !isNetworkAddress(v))
      ? `${addr(v)} ${addr(v, netmaskOf(v))}`
      : null,
  ipv4: (v, _t, value) => {
    if (v.version === 4) return value;
    const ip = v.ip <= 0xffffffffn ? v.ip : v.ip <= 0xffffffffffffn ? v.ip - 0xffff00000000n : undefined;
    if (ip === undefined || v.prefix < 96) return false;
    return slash({ version: 4, ip, prefix: v.prefix - 96 });
  },
  ipv6: (v, _t, value) =>
    v.version === 6 ? value : slash({ version: 6, ip: 0xffff00000000n + v.ip, prefix: v.prefix + 96 }),
  last_usable: (v, vtype) => {
    needsNetwork(vtype);
    return sizeOf(v) > 1n ? addr(v, firstLast(v)[1]) : null;
  },
  'link-local': (v, _t, value) => (within(host(v), LINK_LOCAL[v.version]) ? value : null),
  lo: (v, _t, value) => (within(host(v), LOOPBACK[v.version]) ? value : null),
  multicast: (v, _t, value) => (within(v, MULTICAST[v.version]) ? value : null),
  net: (v) => (sizeOf(v) > 1n && isNetworkAddress(v) ? slash(v, networkOf(v)) : null),
  next_usable: (v, vtype) => {
    needsNetwork(vtype);
    if (sizeOf(v) <= 1n) return null;
    const [first, last] = firstLast(v);
    return v.ip + 1n >= first && v.ip + 1n <= last ? addr(v, v.ip + 1n) : null;
  },
  netmask: (v) => addr(v, netmaskOf(v)),
  network: (v) => addr(v, networkOf(v)),
  'network/prefix': (v) => slash(v, networkOf(v)),
  network_netmask: (v) => `${addr(v, networkOf(v))} ${addr(v, netmaskOf(v))}`,
  network_wildcard: (v) => `${addr(v, networkOf(v))} ${addr(v, hostmaskOf(v))}`,
  peer: (v, vtype) => {
    needsNetwork(vtype);
    if (sizeOf(v) === 2n) return addr(v, v.ip ^ 1n);
    if (sizeOf(v) === 4n) {
      if (v.ip % 4n === 0n) throw new FilterError('Network address of /30 has no peer');
      if (v.ip % 4n === 3n) throw new FilterError('Broadcast address of /30 has no peer');
      return addr(v, v.ip ^ 3n);
    }
    throw new FilterError('Not a point-to-point network');
  },
  prefix: (v) => v.prefix,
  previous_usable: (v, vtype) => {
    needsNetwork(vtype);
    if (sizeOf(v) <= 1n) return null;
    const [first, last] = firstLast(v);
    return v.ip - 1n >= first && v.ip - 1n <= last ? addr(v, v.ip - 1n) : null;
  },
  private: (v, _t, value) => (isGlobal(v) ? null : value),
  public: (v, _t, value) => {
    const unicast = !within(host(v), MULTICAST[v.version]);
    const loopback = within(host(v), LOOPBACK[v.version]);
    const masks = powerOfTwo(v.ip + 1n) || powerOfTwo((v.ip ^ all(v)) + 1n);
    return unicast && isGlobal(v) && !loopback && !masks ? value : null;
  },
  range_usable: (v, vtype) => {
    needsNetwork(vtype);
    if (sizeOf(v) <= 1n) return null;
    const [first, last] = firstLast(v);
    return `${addr(v, first)}-${addr(v, last)}`;
  },
  revdns: (v) =>
    v.version === 4
      ? `${addr(v).split('.').reverse().join('.')}.in-addr.arpa.`
      : `${v.ip.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa.`,
  size: (v) => exact(sizeOf(v), 'the size'),
  size_usable: (v) => (sizeOf(v) === 1n ? 0 : sizeOf(v) === 2n ? 2 : exact(sizeOf(v) - 2n, 'the size')),
  subnet: (v) => slash(v, networkOf(v)),
  type: (v) => (sizeOf(v) === 1n || !isNetworkAddress(v) ? 'address' : 'network'),
  unicast: (v, _t, value) => (within(v, MULTICAST[v.version]) ? null : value),
  version: (v) => v.version,
  wrap: (v, vtype, value) =>
    v.version === 6 ? (vtype === 'address' ? `[${addr(v)}]` : `[${addr(v)}]/${v.prefix}`) : value,
};
for (const [alias, name] of Object.entries({
  ip: 'address',
  loopback: 'lo',
  network_id: 'network',
  router: 'address/prefix',
  v4: 'ipv4',
  v6: 'ipv6',
  wildcard: 'hostmask',
}))
  QUERIES[alias] = QUERIES[name];

/** Python's truth of a value. */
const truthy = (x: unknown) =>
  !(x === false || x === null || x === undefined || x === 0 || x === '' || (Array.isArray(x) && !x.length));

/** A whole number as text (Python's str.isdigit for ASCII). */
const digits = (s: string) => /^\d+$/.test(s);

/** The value as an address or network (the numeric forms as the plugin builds them), and how it was written. */
function readValue(value: unknown, version: number): { v: IpNet; vtype: Vtype; value: unknown } | false {
  const text = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  // a number alone is IPv4 unless ipv6 asked; a numeric CIDR is IPv4 whenever it can be
  const fromInt = (n: bigint, prefix?: number): IpNet | false => {
    if ((version !== 6 || prefix !== undefined) && n <= 0xffffffffn && (prefix ?? 32) <= 32)
      return { version: 4, ip: n, prefix: prefix ?? 32 };
    if (n < 1n << 128n && (prefix ?? 128) <= 128) return { version: 6, ip: n, prefix: prefix ?? 128 };
    return false;
  };
  if (digits(text)) {
    const v = fromInt(BigInt(text));
    return v && { v, vtype: 'address', value: formatNetwork(v) };
  }
  const v = parseNetwork(text);
  if (v) return { v, vtype: text.split('/').length === 2 ? 'network' : 'address', value };
  const parts = text.split('/');
  if (parts.length !== 2 || !digits(parts[0]) || !digits(parts[1])) return false;
  const n = fromInt(BigInt(parts[0]), Number(parts[1]));
  return n && { v: n, vtype: 'network', value: formatNetwork(n) };
}

/** The ipaddr filter: `value | ipaddr(query)`; ipv4 and ipv6 pass their version. */
export function ipaddr(value: unknown, query: unknown = '', version = 0, alias = 'ipaddr'): unknown {
  if (Array.isArray(value)) return value.map((e) => ipaddr(e, String(query), version)).filter(truthy);
  if (!truthy(value) || value === true) return false;
  const read = readValue(value, version);
  if (!read) return false;
  let q = String(query);
  let lookup: IpNet | undefined;
  if (q && (!(q in QUERIES) || q === 'cidr_lookup') && !digits(q) && ipaddr(q, 'network')) {
    lookup = parseNetwork(q);
    q = 'cidr_lookup';
  }
  if (version && read.v.version !== version) return false;
  const f = Object.hasOwn(QUERIES, q) ? QUERIES[q] : undefined;
  if (f) return f(read.v, read.vtype, read.value, lookup);
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*[-+]?(inf|infinity|nan)\s*$/i.test(q))
    throw new FilterError(`${alias}: unknown filter type: ${q}`);
  const { v, vtype } = read;
  if (sizeOf(v) === 1n) return vtype === 'address' ? addr(v) : slash(v);
  if (!/^\s*[-+]?\d+\s*$/.test(q)) return false;
  const i = BigInt(q.trim());
  const size = sizeOf(v);
  if (i >= size || i < -size) return false;
  return slash(v, networkOf(v) + (i < 0n ? size + i : i));
}

/** ipv4 and ipv6: ipaddr for one version; the value text, a list or a number. */
function versioned(version: 4 | 6) {
  return (value: unknown, query: unknown = '') => {
    if (
      !(
        typeof value === 'string' ||
        Array.isArray(value) ||
        typeof value === 'number' ||
        typeof value === 'boolean'
      )
    )
      throw new FilterError(`Unrecognized type <${pyType(value)}> for ipv${version} filter <value>`);
    return ipaddr(value, query, version, `ipv${version}`);
  };
}

const pyType = (v: unknown) =>
  `class '${v === null ? 'NoneType' : typeof v === 'object' ? 'dict' : typeof v === 'number' ? 'float' : typeof v}'`;

export function ipwrap(value: unknown, query: unknown = ''): unknown {
  const wrap = (e: unknown) => {
    try {
      const r = ipaddr(e, query, 0, 'ipwrap');
      return truthy(r) ? ipaddr(r, 'wrap') : e;
    } catch {
      return e;
    }
  };
  if (!(typeof value === 'string' || Array.isArray(value) || typeof value === 'boolean'))
    throw new FilterError(`Unrecognized type <${pyType(value)}> for ipwrap filter <value>`);
  return Array.isArray(value) ? value.map(wrap) : wrap(value);
}

export function ipmath(value: unknown, amount: unknown): string {
  const text = String(value);
  const at = text.includes('/') ? parseNetwork(text) : parseAddress(text);
  if (!at) throw new FilterError(`You must pass a valid IP address; ${text} is invalid`);
  if (typeof amount !== 'number' && typeof amount !== 'boolean')
    throw new FilterError(
      `You must pass an integer for arithmetic; ${String(amount)} is not a valid integer`,
    );
  if (typeof amount === 'number' && !Number.isInteger(amount))
    throw new FilterError(`You must pass an integer for arithmetic; ${amount} is not a valid integer`);
  const ip = at.ip + BigInt(Number(amount));
  if (ip < 0n || ip > (1n << BigInt(widthOf(at.version))) - 1n)
    throw new FilterError(`result ${ip} is outside the IPv${at.version} address space`);
  return formatAddress(at.version, ip);
}

export function nthhost(value: unknown, query: unknown = ''): unknown {
  let v: IpNet | undefined;
  try {
    const type = ipaddr(value, 'type');
    const text =
      type === 'address' ? ipaddr(value, 'cidr') : type === 'network' ? ipaddr(value, 'subnet') : undefined;
    v = typeof text === 'string' ? parseNetwork(text) : undefined;
  } catch {
    return false;
  }
  if (!v || !truthy(query)) return false;
  const n =
    typeof query === 'number' ? query : /^\s*[-+]?\d+\s*$/.test(String(query)) ? Number(query) : Number.NaN;
  if (!Number.isInteger(n)) return false;
  const size = sizeOf(v);
  if (!(size > BigInt(n)) || BigInt(n) < -size) return false;
  return addr(v, networkOf(v) + (n < 0 ? size + BigInt(n) : BigInt(n)));
}

export const IPADDR_FILTERS: Record<string, (v: unknown, ...a: unknown[]) => unknown> = {
  ipaddr: (v, q) => ipaddr(v, q),
  ipv4: versioned(4),
  ipv6: versioned(6),
  ipwrap,
  ipmath,
  nthhost,
};
