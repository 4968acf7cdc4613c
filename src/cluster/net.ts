/** IPv4 arithmetic and the control-plane facts the cluster roles share. */

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function sameSubnet(a: string, b: string, prefix: number): boolean {
  const x = ipToInt(a);
  const y = ipToInt(b);
  if (x === undefined || y === undefined) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (x & mask) >>> 0 === (y & mask) >>> 0;
}

export function isNetworkOrBroadcast(ip: string, prefix: number): boolean {
  const x = ipToInt(ip);
  if (x === undefined || prefix >= 31) return false;
  const host = (x & ((1 << (32 - prefix)) - 1)) >>> 0;
  return host === 0 || host === ((1 << (32 - prefix)) - 1) >>> 0;
}

/**
 * A node's cluster address: node_ip (on multi-NIC hosts, the NIC the cluster uses, apart from
 * the one quorum reaches it by), else ansible_host, else its inventory name.
 */
export function nodeAddress(name: string, vars: Record<string, unknown>): string {
  return String(vars.node_ip ?? vars.ansible_host ?? name);
}

/** An inclusive range of IPv4 addresses as integers. */
export interface Ipv4Range {
  first: number;
  last: number;
  text: string;
}

/** "10.244.0.0/16", "198.51.100.200-198.51.100.210" or one address; undefined when malformed. */
export function parseRange(text: string): Ipv4Range | undefined {
  const t = text.trim();
  const dash = t.split('-');
  if (dash.length === 2) {
    const first = ipToInt(dash[0]);
    const last = ipToInt(dash[1]);
    if (first === undefined || last === undefined || first > last) return undefined;
    return { first, last, text: t };
  }
  const [addr, len, extra] = t.split('/');
  const base = ipToInt(addr);
  if (base === undefined || extra !== undefined) return undefined;
  if (len === undefined) return { first: base, last: base, text: t };
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return undefined;
  const prefix = Number(len);
  const size = 2 ** (32 - prefix);
  const first = base - (base % size);
  if (first !== base) return undefined; // host bits set: 10.244.1.0/16 is a typo, not a network
  return { first, last: first + size - 1, text: t };
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** The subnet a node address sits in, as a range. */
export function subnetOf(ip: string, prefix: number): Ipv4Range | undefined {
  const x = ipToInt(ip);
  if (x === undefined) return undefined;
  const size = 2 ** (32 - prefix);
  const first = x - (x % size);
  return { first, last: first + size - 1, text: `${intToIp(first)}/${prefix}` };
}

export function intToIp(x: number): string {
  return [24, 16, 8, 0].map((s) => (x >>> s) & 255).join('.');
}
