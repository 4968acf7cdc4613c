/**
 * `known_hosts`: a host's key in a known_hosts file, as ansible-core 2.19's module keeps it. The
 * host's own ssh-keygen answers which lines name the host (`-F`: patterns, ports, hashed names,
 * as ssh itself matches them); the module's rules then decide: the same key is nothing to do, a
 * different key of the same type is replaced on its line, a new type is appended, `absent`
 * removes the line of that key, or with no key every line of the host (`ssh-keygen -R`).
 * A converged run is one probe. A file whose folder is missing fails when written, with quorum's
 * words (the module's name its random temporary file).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import { pathInfo, pathInfoCommand } from './path-info.ts';
import { type Change, defineModule } from './types.ts';

interface KnownHostsParams {
  name?: string;
  /** name's alias: registered under the name given too, as AnsibleModule keeps an alias. */
  host?: string;
  key?: string;
  path?: string;
  hash_host?: boolean;
  state?: 'present' | 'absent';
}

interface HostKey {
  options?: string;
  host: string;
  type: string;
  key: string;
}

/** The module's normalize_known_hosts_key: the marker, host, type and key fields of a line. */
function normalize(line: string): HostKey {
  const k = line.trim().split(/\s+/);
  return k[0].startsWith('@')
    ? { options: k[0], host: k[1], type: k[2], key: k[3] }
    : { host: k[0], type: k[1], key: k[2] };
}

const same = (a: HostKey, b: HostKey) =>
  a.options === b.options && a.host === b.host && a.type === b.type && a.key === b.key;

/** The module's hash_host_key: the host field as `|1|salt|hmac` with a new random salt. */
function hashHostKey(host: string, key: string): string {
  const salt = randomBytes(20);
  const hashed = createHmac('sha1', salt).update(host).digest();
  const parts = key.trim().split(/\s+/);
  parts[parts[0].startsWith('@') ? 1 : 0] = `|1|${salt.toString('base64')}|${hashed.toString('base64')}`;
  return parts.join(' ');
}

/**
 * The module's search_for_host_key over `ssh-keygen -F` output: whether the host is there,
 * whether the key must replace or join, and the line of the key of the same type.
 */
export function searchHostKey(
  keygenOut: string,
  key: string,
): { found: boolean; replaceOrAdd: boolean; foundLine?: number } {
  if (!key) return { found: true, replaceOrAdd: false };
  const wanted = normalize(key);
  let foundLine: number | undefined;
  for (const l of keygenOut.split('\n')) {
    if (l === '') continue;
    if (l.startsWith('#')) {
      const m = /found: line (\d+)/.exec(l);
      if (m) foundLine = Number(m[1]);
      continue;
    }
    const have = normalize(l);
    const marker =
      have.options?.slice(0, 15) === '@cert-authority' || have.options?.slice(0, 7) === '@revoke';
    if (!marker && wanted.host.startsWith('|1|') && have.host.startsWith('|1|')) wanted.host = have.host;
    if (same(wanted, have)) return { found: true, replaceOrAdd: false, foundLine };
    if (!marker && wanted.type === have.type) return { found: true, replaceOrAdd: true, foundLine };
  }
  return { found: true, replaceOrAdd: true };
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** One probe: $HOME, ssh-keygen's answer on the key alone (the sanity check) and on the file. */
function probeCommand(host: string, key: string, path: string): string {
  const file = path === '~' || path.startsWith('~/') ? `"$HOME"${sh`${path.slice(1)}`}` : sh`${path}`;
  const sanity = key
    ? `t=$(mktemp) && printf %s ${sh`${key}`} > "$t" && ssh-keygen -F ${sh`${host}`} -f "$t" 2>/dev/null | base64 -w0; rm -f "$t"; echo`
    : 'echo';
  return [
    'command -v ssh-keygen >/dev/null 2>&1 || { echo none; exit 0; }',
    'printf "%s\\n" "$HOME"',
    sanity,
    `if [ -e ${file} ]; then e=$(mktemp); o=$(ssh-keygen -F ${sh`${host}`} -f ${file} 2>"$e"); echo "exists $?"; printf %s "$o" | base64 -w0; echo; base64 -w0 < "$e"; echo; rm -f "$e"; else echo absent; fi`,
    pathInfoCommand(file),
  ].join('\n');
}

export const knownHostsModule = defineModule<KnownHostsParams>({
  name: 'known_hosts',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      host: { type: 'string', minLength: 1 },
      key: { type: 'string' },
      path: { type: 'string', minLength: 1 },
      hash_host: { type: 'boolean' },
      state: { enum: ['present', 'absent'] },
    },
    anyOf: [{ required: ['name'] }, { required: ['host'] }],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const name = (p.name ?? p.host) as string;
    const host = name.toLowerCase();
    const state = p.state ?? 'present';
    let key = p.key ?? '';
    if (!key && state !== 'absent')
      return { changes: [], failed: 'No key specified when adding a host', failedOnInput: true };
    if (key && p.hash_host) key = hashHostKey(host, key);
    if (key && !key.endsWith('\n')) key += '\n';
    if (key && /\S+(\s+)?,(\s+)?/.test(host))
      return {
        changes: [],
        failed:
          'Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.',
        failedOnInput: true,
      };
    const r = await ctx.probe(probeCommand(host, key, p.path ?? '~/.ssh/known_hosts'));
    const [home, sanity, exists, out = '', err = ''] = r.stdout.split('\n');
    if (home === 'none') return { changes: [], failed: 'Failed to find required executable "ssh-keygen"' };
    const path = (p.path ?? '~/.ssh/known_hosts').replace(/^~(?=\/|$)/, home);
    // the parameters, then add_path_info's fields of the file as the probe found it
    const result = {
      name,
      ...(p.host !== undefined ? { host: p.host } : {}),
      key: p.key ?? null,
      path,
      hash_host: p.hash_host ?? false,
      state,
      ...pathInfo(r.stdout),
    };
    if (key && b64(sanity) === '')
      return {
        changes: [],
        failed: 'Host parameter does not match hashed host field in supplied key',
        failedOnInput: true,
      };
    let search: ReturnType<typeof searchHostKey> = { found: false, replaceOrAdd: false };
    if (exists !== 'absent') {
      const rc = Number(exists.split(' ')[1]);
      const [stdout, stderr] = [b64(out), b64(err)];
      if (!(stdout === '' && stderr === '' && (rc === 0 || rc === 1))) {
        if (rc !== 0)
          return {
            changes: [],
            failed: `ssh-keygen failed (rc=${rc}, stdout='${stdout}',stderr='${stderr}')`,
          };
        search = searchHostKey(stdout, key);
      }
    }
    const { found, replaceOrAdd, foundLine } = search;
    if (state === 'absent' && foundLine === undefined && key) return { changes: [], result };
    const changes: Change[] = [];
    if (found && !key && state === 'absent')
      changes.push({
        summary: `remove every key of ${host} from ${path}`,
        action: { kind: 'exec', command: sh`ssh-keygen -R ${host} -f ${path}` },
      });
    else if (replaceOrAdd || found !== (state === 'present')) {
      const file = await ctx.probePath(path, { content: true });
      const lines = (file.kind === 'file' ? (file.content ?? '') : '').split(/(?<=\n)/).filter(Boolean);
      const kept = lines.filter((_, i) => !(foundLine === i + 1 && (replaceOrAdd || state === 'absent')));
      const text = kept.join('') + (state === 'present' ? key : '');
      changes.push(...contentChanges(path, file, text, { parents: false }));
    }
    if (changes.length === 0) return { changes, result };
    // the file's information after the change: what the module registers
    return {
      changes,
      result,
      waits: [{ kind: 'exec', command: pathInfoCommand(sh`${path}`) }],
      outputResult: { keys: [], from: pathInfo },
    };
  },
});
