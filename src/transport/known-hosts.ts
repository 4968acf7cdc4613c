/**
 * Host key verification against an OpenSSH known_hosts file: plain and hashed (|1|) names,
 * `[host]:port` for ports other than 22. Policies: strict (must be known), accept-new
 * (remember unknown hosts, refuse changed keys), off.
 */
import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

export interface KnownKey {
  type: string;
  key: string;
  line: number;
}

function nameMatches(entry: string, name: string): boolean {
  if (entry.startsWith('|1|')) {
    const [, , salt, hash] = entry.split('|');
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return entry.split(',').some((n) => n === name);
}

export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function knownKeys(file: string, name: string): KnownKey[] {
  if (!existsSync(file)) return [];
  const out: KnownKey[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#') || line.startsWith('@')) return;
      const [names, type, key] = line.split(/\s+/);
      if (names && key && nameMatches(names, name)) out.push({ type, key, line: i + 1 });
    });
  return out;
}

export type Verdict = { ok: true; learned?: boolean } | { ok: false; reason: string };

/** Decide on a presented host key (the raw SSH key blob). */
export function verifyHostKey(file: string, name: string, blob: Buffer, policy: HostKeyPolicy): Verdict {
  if (policy === 'off') return { ok: true };
  const presented = blob.toString('base64');
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  const known = knownKeys(file, name);
  if (known.some((k) => k.key === presented)) return { ok: true };
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
