/**
 * The parts of ~/.ssh/config quorum honours: HostName, User, Port, IdentityFile, ProxyJump, and
 * ProxyCommand (taken where it is a jump, `ssh -W %h:%p HOST`; any other is refused by connect.ts).
 * As in OpenSSH, the first value found for a key wins, across matching Host blocks in order.
 * A config that uses what this reader does not know (Include, Match, %-tokens) is resolved
 * by OpenSSH itself (`ssh -G`), so quorum connects exactly where ssh would.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir, hostname as osHostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { globToRegExp } from '../glob.ts';

export interface SshHostConfig {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  proxyCommand?: string;
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
    else if (key === 'proxycommand' && out.proxyCommand === undefined && value.toLowerCase() !== 'none')
      out.proxyCommand = m[2].trim();
  }
  return out;
}

/** `ssh -G` output: lowercase key, then the value (identityfile once per file). */
function parseResolved(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(' ');
    if (at < 0) continue;
    const key = line.slice(0, at);
    out.set(key, [...(out.get(key) ?? []), line.slice(at + 1)]);
  }
  return out;
}

/**
 * What the config sets for `host`, as OpenSSH resolves it: `ssh -G` with this file, compared
 * with `ssh -G` without any, so that OpenSSH's defaults are not taken for settings.
 */
export function resolveWithOpenSsh(host: string, file: string): SshHostConfig | undefined {
  const run = (config: string) =>
    spawnSync('ssh', ['-G', '-F', config, host], { encoding: 'utf8', timeout: 5000 });
  const mine = run(file);
  const base = run('/dev/null');
  if (mine.status !== 0 || base.status !== 0) return undefined;
  const m = parseResolved(mine.stdout);
  const b = parseResolved(base.stdout);
  const set = (k: string) => (m.get(k)?.join('\n') !== b.get(k)?.join('\n') ? m.get(k) : undefined);
  const jump = set('proxyjump')?.[0];
  const command = set('proxycommand')?.[0];
  // ssh -G leaves IdentityFile's %-tokens for connect time: expanded here as ssh would
  const tokens: Record<string, string> = {
    '%': '%',
    d: homedir(),
    u: userInfo().username,
    h: m.get('hostname')?.[0] ?? host,
    n: host,
    r: m.get('user')?.[0] ?? userInfo().username,
    p: m.get('port')?.[0] ?? '22',
    l: osHostname(),
  };
  const expand = (f: string) =>
    f.replace(/^~(?=\/)/, homedir()).replace(/%([%dhunrpl])/g, (_, t: string) => tokens[t]);
  return {
    hostName: set('hostname')?.[0],
    user: set('user')?.[0],
    port: set('port') ? Number(set('port')?.[0]) : undefined,
    identityFiles: (set('identityfile') ?? []).map(expand),
    proxyJump: jump && jump.toLowerCase() !== 'none' ? jump : undefined,
    proxyCommand: command && command.toLowerCase() !== 'none' ? command : undefined,
  };
}

const NEEDS_OPENSSH = /^\s*(include|match)\b|%[a-zA-Z%]/im;
const resolved = new Map<string, SshHostConfig>();

export function readSshConfig(host: string, file = join(homedir(), '.ssh', 'config')): SshHostConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { identityFiles: [] };
  }
  if (!NEEDS_OPENSSH.test(text)) return parseSshConfig(text, host);
  const key = `${file}\0${host}`;
  let cfg = resolved.get(key);
  if (!cfg) {
    // without an ssh client, the reader's best: Include and Match are then not followed
    cfg = resolveWithOpenSsh(host, file) ?? parseSshConfig(text, host);
    resolved.set(key, cfg);
  }
  return cfg;
}
