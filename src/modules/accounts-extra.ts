/**
 * `authorized_key` (ansible.posix): one public key in a user's authorized_keys; `hostname`:
 * the host's name now and in /etc/hostname.
 */
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import type { PathState } from './path-batch.ts';
import { type Change, defineModule } from './types.ts';

export const USER = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' };

interface AuthorizedKeyParams {
  user: string;
  key: string;
  state?: 'present' | 'absent';
  path?: string;
  exclusive?: boolean;
  /** A keys file that is a link: the file it points to is written, the link kept (not replaced). */
  follow?: boolean;
}

/** The key part of an authorized_keys line (type and base64), options and comment aside. */
const keyOf = (line: string) => /(?:^|\s)((?:ssh|ecdsa|sk)-[\w@.-]+\s+[A-Za-z0-9+/=]+)/.exec(line)?.[1];

export const authorizedKeyModule = defineModule<AuthorizedKeyParams>({
  name: 'authorized_key',
  aliases: ['ansible.posix.authorized_key'],
  schema: {
    type: 'object',
    properties: {
      user: USER,
      key: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      path: { type: 'string' },
      exclusive: { type: 'boolean' },
      follow: { type: 'boolean' },
    },
    required: ['user', 'key'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const home = (await ctx.probe(sh`getent passwd ${p.user} | cut -d: -f6`)).stdout.trim();
    if (!home && !p.path) return { changes: [], failed: `no user ${p.user}` };
    const named = p.path ?? `${home}/.ssh/authorized_keys`;
    const dir = named.slice(0, named.lastIndexOf('/'));
    // os.path.realpath, as the module resolves it: a missing part is taken as it is
    const file = p.follow ? (await ctx.probe(sh`realpath -m -- ${named}`)).stdout.trim() || named : named;
    const probed = await ctx.probePath(file, { content: true });
    // a link without follow: the module reads the keys through it and moves its file into the
    // link's place (atomic_move), so the link becomes a file
    const isLink = probed.kind === 'link';
    const text = isLink
      ? (await ctx.probe(sh`cat -- ${file} 2>/dev/null || true`)).stdout
      : probed.kind === 'file'
        ? (probed.content ?? '')
        : '';
    const state: PathState = isLink ? { kind: 'absent' } : probed;
    const lines = text.split('\n').filter((l) => l !== '');
    const wanted = p.key
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const wantedKeys = new Set(wanted.map(keyOf));
    let next: string[];
    if ((p.state ?? 'present') === 'absent') next = lines.filter((l) => !wantedKeys.has(keyOf(l)));
    else if (p.exclusive) next = wanted;
    else next = [...lines, ...wanted.filter((w) => !lines.some((l) => keyOf(l) === keyOf(w)))];
    if (next.join('\n') === lines.join('\n')) return { changes: [] };
    const changes: Change[] = [];
    const folder = await ctx.probePath(dir);
    if (folder.kind === 'absent')
      changes.push({
        summary: `create ${dir}`,
        action: { kind: 'exec', command: sh`install -d -m 0700 -o ${p.user} -g ${p.user} ${dir}` },
      });
    if (isLink)
      changes.push({
        summary: `replace the link ${file}`,
        action: { kind: 'exec', command: sh`rm -f -- ${file}` },
      });
    changes.push(
      ...contentChanges(file, state, next.length ? `${next.join('\n')}\n` : '', {
        owner: p.user,
        mode: '0600',
      }),
    );
    return { changes };
  },
});

export const hostnameModule = defineModule<{ name: string; use?: string }>({
  name: 'hostname',
  schema: {
    type: 'object',
    properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9.-]*$' }, use: { type: 'string' } },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const r = await ctx.probe('hostname; echo --; cat /etc/hostname 2>/dev/null || true');
    const [now = '', file = ''] = r.stdout.split('--\n').map((s) => s.trim());
    const changes: Change[] = [];
    if (now !== p.name)
      changes.push({
        summary: `hostname ${now} -> ${p.name}`,
        action: { kind: 'exec', command: sh`hostname ${p.name}` },
      });
    if (file !== p.name)
      changes.push({
        summary: `/etc/hostname -> ${p.name}`,
        action: { kind: 'write', path: '/etc/hostname', content: `${p.name}\n`, mode: '0644' },
      });
    return { changes };
  },
});
