/**
 * IP addresses and networks as Python's netaddr 1.3 reads and prints them (the library
 * ansible.utils' ipaddr filters call): `IPNetwork(text)` with a prefix length, a netmask or a
 * hostmask after `/`, the address kept as given (host bits too); IPv6 printed compressed
 * (RFC 5952), with an IPv4-mapped or -compatible tail in dotted form; and netaddr's registries of
 * special-purpose addresses (global, loopback, link-local, multicast). Values are BigInt.
 */

export interface IpNet {
  version: 4 | 6;
  /** The address as given. */
  ip: bigint;
  prefix: number;
}

export const widthOf = (version: 4 | 6) => (version === 4 ? 32 : 128);
const all = (version: 4 | 6) => (1n << BigInt(widthOf(version))) - 1n;
export const hostmaskOf = (n: IpNet) => (1n << BigInt(widthOf(n.version) - n.prefix)) - 1n;
export const netmaskOf = (n: IpNet) => all(n.version) ^ hostmaskOf(n);
export const networkOf = (n: IpNet) => n.ip & netmaskOf(n);
export const sizeOf = (n: IpNet) => 1n << BigInt(widthOf(n.version) - n.prefix);
/** netaddr has no broadcast for a /31 or /32 (/127, /128). */
export const broadcastOf = (n: IpNet) =>
  widthOf(n.version) - n.prefix <= 1 ? undefined : networkOf(n) | hostmaskOf(n);

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    // inet_pton: decimal, no leading zeros, at most 255
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out = (out << 8n) | BigInt(p);
  }
  return out;
}

function parseV6(text: string): bigint | undefined {
  const lastColon = text.lastIndexOf(':');
  if (!/^[0-9a-fA-F:.]+$/.test(text) || lastColon < 0) return undefined;
  let body = text;
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // an IPv4 tail (::ffff:1.2.3.4) is the last two groups
    const v4 = parseV4(last);
    if (v4 === undefined) return undefined;
    body = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const a = groups(halves[0]);
  const b = halves.length === 2 ? groups(halves[1]) : [];
  if ([...a, ...b].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  if (halves.length === 1 ? a.length !== 8 : a.length + b.length > 7) return undefined;
  const words = [...a, ...Array(8 - a.length - b.length).fill('0'), ...b];
  return words.reduce((acc, w) => (acc << 16n) | BigInt(`0x${w}`), 0n);
}

export function parseAddress(text: string): { version: 4 | 6; ip: bigint } | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { version: 4, ip: v4 };
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { version: 6, ip: v6 };
}

/** The prefix length a `/` part names: a number, or (IPv4) a netmask or a hostmask. */
function prefixOf(text: string, version: 4 | 6): number | undefined {
  const width = widthOf(version);
  if (/^\d+$/.test(text)) return Number(text) <= width ? Number(text) : undefined;
  if (version !== 4) return undefined;
  const mask = parseV4(text);
  if (mask === undefined) return undefined;
  for (let p = 0; p <= width; p++) {
    const n: IpNet = { version, ip: 0n, prefix: p };
    if (netmaskOf(n) === mask || hostmaskOf(n) === mask) return p;
  }
  return undefined;
}

/** netaddr's IPNetwork(text), or undefined where it raises AddrFormatError. */
export function parseNetwork(text: string): IpNet | undefined {
  const [addr, pre, ...more] = text.split('/');
  if (more.length) return undefined;
  const a = parseAddress(addr);
  if (!a) return undefined;
  const prefix = pre === undefined ? widthOf(a.version) : prefixOf(pre, a.version);
  return prefix === undefined ? undefined : { ...a, prefix };
}

function formatV6(ip: bigint): string {
  const words = Array.from({ length: 8 }, (_, i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
  // ::ffff:a.b.c.d and ::a.b.c.d (not :: nor ::1) keep their IPv4 tail dotted, as netaddr prints them
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff;
  const compat = words.slice(0, 6).every((w) => w === 0) && ip > 0xffffn;
  if (mapped || compat) return `::${mapped ? 'ffff:' : ''}${formatV4(ip & 0xffffffffn)}`;
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best[1] && j - i > 1) best = [i, j - i];
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best[0] < 0) return hex.join(':');
  return `${hex.slice(0, best[0]).join(':')}::${hex.slice(best[0] + best[1]).join(':')}`;
}

function formatV4(ip: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 0xffn)).join('.');
}

export const formatAddress = (version: 4 | 6, ip: bigint) => (version === 4 ? formatV4(ip) : formatV6(ip));
export const formatNetwork = (n: IpNet) => `${formatAddress(n.version, n.ip)}/${n.prefix}`;

/** Whether network `inner` lies wholly in `outer` (netaddr's `in` for networks). */
export function within(inner: IpNet, outer: IpNet): boolean {
  if (inner.version !== outer.version) return false;
  const first = networkOf(inner);
  return first >= networkOf(outer) && first + sizeOf(inner) - 1n <= networkOf(outer) + sizeOf(outer) - 1n;
}

/** Networks written as text, for the address registries below. */
const nets = (...texts: string[]) => texts.map((t) => parseNetwork(t) as IpNet);

// netaddr 1.3's registries (IANA special-purpose address tables)
const NOT_GLOBAL = {
  4: nets(
    ...['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12'],
    ...['192.0.0.0/24', '192.0.0.170/31', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15'],
    ...['198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '255.255.255.255/32'],
  ),
  6: nets(
    ...['::1/128', '::/128', '::ffff:0:0/96', '64:ff9b:1::/48', '100::/64', '2001::/23'],
    ...['2001:db8::/32', '2002::/16', 'fc00::/7', 'fe80::/10'],
  ),
};
const GLOBAL_EXCEPTIONS = {
  4: nets('192.0.0.9/32', '192.0.0.10/32'),
  6: nets(
    ...['2001:1::1/128', '2001:1::2/128', '2001:3::/32', '2001:4:112::/48', '2001:20::/28', '2001:30::/28'],
  ),
};
export const MULTICAST = { 4: nets('224.0.0.0/4')[0], 6: nets('ff00::/8')[0] };
export const LINK_LOCAL = { 4: nets('169.254.0.0/16')[0], 6: nets('fe80::/10')[0] };
export const LOOPBACK = { 4: nets('127.0.0.0/8')[0], 6: nets('::1/128')[0] };

/** The one-address network of `n`'s address. */
export const host = (n: IpNet): IpNet => ({ ...n, prefix: widthOf(n.version) });
export const isGlobal = (n: IpNet) =>
  !NOT_GLOBAL[n.version].some((x) => within(host(n), x)) ||
  GLOBAL_EXCEPTIONS[n.version].some((x) => within(host(n), x));
