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

/** A node's address: ansible_host, else its inventory name. */
export function nodeAddress(name: string, vars: Record<string, unknown>): string {
  return String(vars.ansible_host ?? name);
}
