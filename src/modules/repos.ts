/**
 * Package repositories: `deb822_repository` (a .sources file, its signing key fetched to
 * /etc/apt/keyrings as Ansible does) and `rpm_key` (a key imported into rpm's database).
 */
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import { type Change, defineModule } from './types.ts';

const list = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const words = (v: string | string[] | undefined) => (v === undefined ? undefined : [v].flat().join(' '));

interface Deb822Params {
  name: string;
  types?: string | string[];
  uris: string | string[];
  suites: string | string[];
  components?: string | string[];
  signed_by?: string;
  architectures?: string | string[];
  enabled?: boolean;
  state?: 'present' | 'absent';
  mode?: string | number;
}

/** The .sources text, fields in the order Ansible writes them. */
export function deb822Text(p: Deb822Params, keyPath: string | undefined): string {
  const fields: Array<[string, string | undefined]> = [
    ['X-Repolib-Name', p.name],
    ['Types', words(p.types) ?? 'deb'],
    ['URIs', words(p.uris)],
    ['Suites', words(p.suites)],
    ['Components', words(p.components)],
    ['Architectures', words(p.architectures)],
    ['Enabled', p.enabled === false ? 'no' : undefined],
    ['Signed-By', keyPath],
  ];
  return keyValueLines(fields, ': ');
}

/** `key<sep>value` lines of the fields that have a value. */
function keyValueLines(fields: Array<[string, string | undefined]>, sep: string): string {
  return `${fields
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}${sep}${v}`)
    .join('\n')}\n`;
}

export const deb822RepositoryModule = defineModule<Deb822Params>({
  name: 'deb822_repository',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
      types: list,
      uris: list,
      suites: list,
      components: list,
      signed_by: { type: 'string' },
      architectures: list,
      enabled: { type: 'boolean' },
      state: { enum: ['present', 'absent'] },
      mode: { type: ['string', 'integer'] },
    },
    required: ['name', 'uris', 'suites'],
    additionalProperties: false,
  },
  check(p) {
    return p.signed_by?.includes('BEGIN PGP')
      ? ['deb822_repository: an inline signed_by key is not supported (give a URL or a path)']
      : [];
  },
  async plan(ctx, p) {
    const file = `/etc/apt/sources.list.d/${p.name}.sources`;
    const url = p.signed_by && /^[a-z]+:\/\//.test(p.signed_by) ? p.signed_by : undefined;
    const keyPath = url ? `/etc/apt/keyrings/${p.name}.asc` : p.signed_by;
    const state = await ctx.probePath(file, { content: true });
    if (p.state === 'absent') {
      const changes: Change[] = [];
      if (state.kind !== 'absent')
        changes.push({ summary: `remove ${file}`, action: { kind: 'exec', command: sh`rm -f ${file}` } });
      return { changes };
    }
    const changes: Change[] = [];
    if (url && keyPath) {
      const key = await ctx.probePath(keyPath);
      if (key.kind === 'absent')
        changes.push({
          summary: `fetch the signing key ${url} to ${keyPath}`,
          action: {
            kind: 'exec',
            command: sh`mkdir -p /etc/apt/keyrings && curl -fsSL ${url} -o ${keyPath} && chmod 0644 ${keyPath}`,
          },
        });
    }
    changes.push(...contentChanges(file, state, deb822Text(p, keyPath), { mode: p.mode ?? '0644' }));
    return { changes, result: { repo: deb822Text(p, keyPath), key_filename: keyPath } };
  },
});

interface RpmKeyParams {
  key: string;
  state?: 'present' | 'absent';
  fingerprint?: string;
}

export const rpmKeyModule = defineModule<RpmKeyParams>({
  name: 'rpm_key',
  aliases: ['ansible.builtin.rpm_key'],
  schema: {
    type: 'object',
    properties: {
      key: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      fingerprint: { type: 'string' },
    },
    required: ['key'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const read = /^[a-z]+:\/\//.test(p.key) ? sh`curl -fsSL ${p.key}` : sh`cat ${p.key}`;
    // the key's id as rpm names it (gpg-pubkey-<last 8 hex digits of the key id>)
    const r = await ctx.probe(
      `id=$(${read} | gpg --with-colons --show-keys 2>/dev/null | awk -F: '$1=="pub" {print tolower(substr($5, 9)); exit}'); [ -n "$id" ] || exit 3; echo "$id"; rpm -q "gpg-pubkey-$id" >/dev/null 2>&1 && echo installed || echo absent`,
    );
    if (r.code !== 0) return { changes: [], failed: `cannot read the key ${p.key} (exit ${r.code})` };
    const [id, status] = r.stdout.trim().split('\n');
    if (p.fingerprint && !p.fingerprint.replace(/\s/g, '').toLowerCase().endsWith(id))
      return {
        changes: [],
        failed: `the key ${p.key} (${id}) does not have the fingerprint ${p.fingerprint}`,
      };
    if ((p.state ?? 'present') === 'absent')
      return {
        changes:
          status === 'installed'
            ? [
                {
                  summary: `remove key ${id}`,
                  action: { kind: 'exec', command: sh`rpm -e ${`gpg-pubkey-${id}`}` },
                },
              ]
            : [],
      };
    return {
      changes:
        status === 'installed'
          ? []
          : [
              {
                summary: `import key ${p.key}`,
                action: { kind: 'exec', command: sh`rpm --import ${p.key}` },
              },
            ],
    };
  },
});

interface AptRepositoryParams {
  repo: string;
  state?: 'present' | 'absent';
  filename?: string;
  update_cache?: boolean;
  mode?: string | number;
}

/** Ansible's file name for a repository line: its host and path, other characters as _. */
export function aptRepositoryFile(p: AptRepositoryParams): string {
  if (p.filename) return `/etc/apt/sources.list.d/${p.filename}.list`;
  const parts = p.repo
    .replace(/\[[^\]]+\]/g, '')
    .replace(/\w+:\/\//g, '')
    .split(/\s+/)
    .filter((w) => w && w !== 'deb' && w !== 'deb-src');
  const first = (parts[0] ?? '').replace(/^[^@/]*@/, '');
  return `/etc/apt/sources.list.d/${first
    .replace(/[^a-zA-Z0-9]/g, ' ')
    .trim()
    .split(/\s+/)
    .join('_')}.list`;
}

export const aptRepositoryModule = defineModule<AptRepositoryParams>({
  name: 'apt_repository',
  schema: {
    type: 'object',
    properties: {
      repo: { type: 'string', pattern: '^deb(-src)? ' },
      state: { enum: ['present', 'absent'] },
      filename: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
      update_cache: { type: 'boolean' },
      mode: { type: ['string', 'integer'] },
      // Ansible uses it for ppa: lines only, which quorum refuses (repo is a deb line): no effect
      codename: { type: 'string' },
    },
    required: ['repo'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const file = aptRepositoryFile(p);
    const state = await ctx.probePath(file, { content: true });
    const before = state.kind === 'file' ? (state.content ?? '') : '';
    const lines = before.split('\n').filter((l) => l !== '');
    const line = p.repo.trim().replace(/\s+/g, ' ');
    const has = lines.some((l) => l.trim().replace(/\s+/g, ' ') === line);
    if ((p.state ?? 'present') === 'absent') {
      if (!has) return { changes: [] };
      const rest = lines.filter((l) => l.trim().replace(/\s+/g, ' ') !== line);
      return {
        changes: rest.length
          ? contentChanges(file, state, `${rest.join('\n')}\n`, { mode: p.mode ?? '0644' })
          : [{ summary: `remove ${file}`, action: { kind: 'exec', command: sh`rm -f ${file}` } }],
      };
    }
    if (has) return { changes: [] };
    const changes = contentChanges(file, state, `${[...lines, line].join('\n')}\n`, {
      mode: p.mode ?? '0644',
    });
    if (p.update_cache !== false)
      changes.push({
        summary: 'refresh the apt cache',
        action: { kind: 'exec', command: 'apt-get update -q' },
      });
    return { changes };
  },
});
