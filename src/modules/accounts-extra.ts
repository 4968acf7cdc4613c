/**
 * `authorized_key` (ansible.posix): one public key in a user's authorized_keys; `hostname`:
 * the host's name now and in /etc/hostname; `cron`: one job in a user's crontab, under the
 * `#Ansible: NAME` marker Ansible's cron module writes.
 */
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import { type Change, defineModule } from './types.ts';

const USER = { type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$' };

interface AuthorizedKeyParams {
  user: string;
  key: string;
  state?: 'present' | 'absent';
  path?: string;
  exclusive?: boolean;
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
    },
    required: ['user', 'key'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const home = (await ctx.probe(sh`getent passwd ${p.user} | cut -d: -f6`)).stdout.trim();
    if (!home && !p.path) return { changes: [], failed: `no user ${p.user}` };
    const file = p.path ?? `${home}/.ssh/authorized_keys`;
    const dir = file.slice(0, file.lastIndexOf('/'));
    const state = await ctx.probePath(file, { content: true });
    const lines = state.kind === 'file' ? (state.content ?? '').split('\n').filter((l) => l !== '') : [];
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

interface CronParams {
  name: string;
  job?: string;
  user?: string;
  state?: 'present' | 'absent';
  minute?: string;
  hour?: string;
  day?: string;
  month?: string;
  weekday?: string;
  special_time?: string;
  disabled?: boolean;
}

/** The crontab with the named job (marker line + job line) set or removed. */
export function editCrontab(text: string, p: CronParams): string {
  const marker = `#Ansible: ${p.name}`;
  const lines = text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
  const at = lines.indexOf(marker);
  if (at >= 0) lines.splice(at, 2);
  if ((p.state ?? 'present') === 'present') {
    const when = p.special_time
      ? `@${p.special_time}`
      : [p.minute, p.hour, p.day, p.month, p.weekday].map((f) => f ?? '*').join(' ');
    const job = `${p.disabled ? '#' : ''}${when} ${p.job}`;
    lines.splice(at >= 0 ? at : lines.length, 0, marker, job);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export const cronModule = defineModule<CronParams>({
  name: 'cron',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[^\\n]*$' },
      job: { type: 'string', pattern: '^[^\\n]*$' },
      user: USER,
      state: { enum: ['present', 'absent'] },
      minute: { type: 'string', pattern: '^[0-9*/,-]+$' },
      hour: { type: 'string', pattern: '^[0-9*/,-]+$' },
      day: { type: 'string', pattern: '^[0-9*/,-]+$' },
      month: { type: 'string', pattern: '^[0-9A-Za-z*/,-]+$' },
      weekday: { type: 'string', pattern: '^[0-9A-Za-z*/,-]+$' },
      special_time: { enum: ['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'hourly'] },
      disabled: { type: 'boolean' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    if ((p.state ?? 'present') === 'present' && !p.job)
      return { changes: [], failed: 'cron: state=present needs job' };
    const user = p.user ?? 'root';
    const r = await ctx.probe(sh`crontab -l -u ${user} 2>/dev/null || true`);
    const next = editCrontab(r.stdout, p);
    if (next === r.stdout) return { changes: [] };
    return {
      changes: [
        {
          summary: `${(p.state ?? 'present') === 'present' ? 'set' : 'remove'} cron job "${p.name}" of ${user}`,
          diff: { path: `crontab of ${user}`, before: r.stdout, after: next },
          action: { kind: 'exec', command: sh`crontab -u ${user} -`, stdin: next },
        },
      ],
    };
  },
});
