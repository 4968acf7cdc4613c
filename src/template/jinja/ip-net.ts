/**
 * IP addresses and networks as Python's netaddr 1.3 reads and prints them (the library
 * ansible.utils' ipaddr filters call): `IPNetwork(text)` with a prefix length, a netmask or a
 * hostmask after `/`, the address kept as given (host bits too); IPv6 printed compressed
 * (RFC 5952), with an IPv4-mapped or -compatible tail in dotted form. Values are BigInt.
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
export const nets = (...texts: string[]) => texts.map((t) => parseNetwork(t) as IpNet);
