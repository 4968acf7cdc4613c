/**
 * The parts of ~/.ssh/config quorum honours: HostName, User, Port, IdentityFile, ProxyJump.
 * As in OpenSSH, the first value found for a key wins, across matching Host blocks in order.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

function hostMatches(patterns: string[], host: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globToRegExp(p.slice(1)).test(host)) return false;
    } else if (globToRegExp(p).test(host)) matched = true;
  }
  return matched;
}

export function parseSshConfig(text: string, host: string): SshHostConfig {
  const out: SshHostConfig = { identityFiles: [] };
  let active = true;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.+)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim().replace(/^"(.*)"$/, '$1');
    if (key === 'host') {
      active = hostMatches(value.split(/\s+/), host);
      continue;
    }
    if (key === 'match') {
      active = value.trim().toLowerCase() === 'all';
      continue;
    }
    if (!active) continue;
    const expand = (v: string) => v.replace(/^~(?=\/)/, homedir()).replace(/%h/g, host);
    if (key === 'hostname' && out.hostName === undefined) out.hostName = expand(value);
    else if (key === 'user' && out.user === undefined) out.user = value;
    else if (key === 'port' && out.port === undefined) out.port = Number(value);
    else if (key === 'identityfile') out.identityFiles.push(expand(value));
    else if (key === 'proxyjump' && out.proxyJump === undefined && value.toLowerCase() !== 'none')
      out.proxyJump = value;
  }
  return out;
}

export function readSshConfig(host: string, file = join(homedir(), '.ssh', 'config')): SshHostConfig {
  try {
    return parseSshConfig(readFileSync(file, 'utf8'), host);
  } catch {
    return { identityFiles: [] };
  }
}
