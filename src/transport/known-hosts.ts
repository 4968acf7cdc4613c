/**
 * Host key verification against an OpenSSH known_hosts file: plain and hashed (|1|) names,
 * `[host]:port` for ports other than 22. Policies: strict (must be known), accept-new
 * (remember unknown hosts, refuse changed keys), off.
 */
import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { globToRegExp } from '../glob.ts';

/** What a host's certificates, checked against a CA of known_hosts, let a session trust (cert-trust.ts). */
export interface CertTrust {
  /** Certified plain host keys (base64 blobs) the session may present. */
  keys: Set<string>;
  /** Host key algorithms that make the server present one of them. */
  algorithms: string[];
  /** Why each certificate (or the fetch) was not accepted. */
  problems: string[];
}

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

export interface KnownKey {
  type: string;
  key: string;
  line: number;
}

/** One OpenSSH pattern (`*` and `?` wildcards) against a whole name. */
export function patternMatches(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}

function nameMatches(entry: string, name: string): boolean {
  if (entry.startsWith('|1|')) {
    const [, , salt, hash] = entry.split('|');
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const patterns = entry.split(',');
  if (patterns.some((p) => p.startsWith('!') && patternMatches(p.slice(1), name))) return false;
  return patterns.some((p) => !p.startsWith('!') && patternMatches(p, name));
}

export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export interface KnownKeys {
  keys: KnownKey[];
  /** `@revoked` keys: never accepted, whatever else the file says. */
  revoked: KnownKey[];
  /** `@cert-authority` lines for this host: CAs whose host certificates it trusts. */
  authorities: KnownKey[];
  /** Found under the bare host name for a host on another port (OpenSSH's fallback). */
  bareName?: boolean;
}

/**
 * The entries for a host as OpenSSH finds them: under `[host]:port` for a port other than 22,
 * and, when nothing is known under that name, under the bare host name (OpenSSH's "checking
 * without port identifier").
 */
export function hostEntries(file: string, address: string, port: number): KnownKeys {
  const entries = knownEntries(file, hostKeyName(address, port));
  if (port === 22 || entries.keys.length > 0 || entries.authorities.length > 0) return entries;
  const bare = knownEntries(file, address);
  return { ...bare, revoked: [...entries.revoked, ...bare.revoked], bareName: true };
}

export function knownEntries(file: string, name: string): KnownKeys {
  const out: KnownKeys = { keys: [], revoked: [], authorities: [] };
  if (!existsSync(file)) return out;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const marker = line.startsWith('@') ? line.split(/\s+/, 1)[0] : '';
      const [names, type, key] = (marker ? line.slice(marker.length).trim() : line).split(/\s+/);
      if (!names || !key || !nameMatches(names, name)) return;
      const entry = { type, key, line: i + 1 };
      if (marker === '@revoked') out.revoked.push(entry);
      else if (marker === '@cert-authority') out.authorities.push(entry);
      else if (!marker) out.keys.push(entry);
    });
  return out;
}

export type Verdict = { ok: true; learned?: boolean } | { ok: false; reason: string };

/**
 * Decide on a presented host key (the raw SSH key blob) of address:port. `certified` is what
 * the host's certificates proved (cert-trust.ts), for a host known only through a CA.
 */
export function verifyHostKey(
  file: string,
  address: string,
  port: number,
  blob: Buffer,
  policy: HostKeyPolicy,
  certified?: CertTrust,
): Verdict {
  if (policy === 'off') return { ok: true };
  const name = hostKeyName(address, port);
  const presented = blob.toString('base64');
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  const entries = hostEntries(file, address, port);
  const revoked = entries.revoked.find((k) => k.key === presented);
  if (revoked)
    return {
      ok: false,
      reason: `host key for ${name} is REVOKED (@revoked in ${file}:${revoked.line}): refusing to connect`,
    };
  if (entries.keys.some((k) => k.key === presented)) return { ok: true };
  if (certified?.keys.has(presented)) return { ok: true };
  if (entries.keys.length === 0 && entries.authorities.length > 0) {
    // learning the plain key here, even under accept-new, would step around the CA
    const why = certified?.problems.length
      ? certified.problems.join('; ')
      : 'it presented no certified host key';
    return {
      ok: false,
      reason: `${name} is trusted in ${file}:${entries.authorities[0].line} only through @cert-authority, and its host certificate was not accepted: ${why}`,
    };
  }
  // a key under the bare name that does not match belongs to that name's sshd: this one is new
  const known = entries.bareName ? [] : entries.keys;
  const sameType = known.find((k) => k.type === type);
  if (sameType) {
    return {
      ok: false,
      reason: `host key for ${name} has CHANGED (${type}); known_hosts ${file}:${sameType.line} has a different key. Someone may be intercepting the connection, or the host was reinstalled: remove that line if you trust the new key.`,
    };
  }
  if (known.length > 0 || policy === 'strict') {
    return {
      ok: false,
      reason: known.length
        ? `host key for ${name} is a ${type} key but known_hosts ${file} has only ${known.map((k) => k.type).join(', ')}`
        : `host ${name} is not in ${file} (host key checking is strict; use --host-key-checking accept-new to learn it)`,
    };
  }
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${name} ${type} ${presented}\n`);
  return { ok: true, learned: true };
}
