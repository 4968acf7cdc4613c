/**
 * `yum_repository`: one repository's [section] of REPOSDIR/FILE.repo, as ansible-core 2.19's
 * module writes it (modules/yum_repository.py): the file read with Python's RawConfigParser (its
 * other sections kept, in their order), the section replaced by the task's options sorted by
 * name (booleans 1/0; baseurl and gpgkey one per line, exclude and includepkgs on one), the file
 * written back as configparser writes it, or removed when no section is left. Changed when the
 * module's sorted dump differs; mode, owner and group as on any file.
 */
import { PyConfigParser } from '../template/jinja/py-configparser.ts';
import { sh } from '../transport/shell.ts';
import { attributeChanges, contentChanges } from './content.ts';
import { type Change, defineModule } from './types.ts';

type Value = string | number | boolean | string[] | undefined;
interface YumRepositoryParams {
  name: string;
  description?: string;
  file?: string;
  reposdir?: string;
  state?: 'present' | 'absent';
  mode?: string | number;
  owner?: string;
  group?: string;
  [option: string]: Value;
}

const TEXT = [
  'bandwidth',
  'cost',
  'deltarpm_percentage',
  'failovermethod',
  'include',
  'ip_resolve',
  'metadata_expire',
  'metalink',
  'mirrorlist',
  'password',
  'priority',
  'proxy',
  'proxy_password',
  'proxy_username',
  'retries',
  'sslcacert',
  'sslclientcert',
  'sslclientkey',
  'throttle',
  'timeout',
  'username',
];
const FLAGS = [
  'countme',
  'enabled',
  'enablegroups',
  'gpgcheck',
  'module_hotfixes',
  'repo_gpgcheck',
  'skip_if_unavailable',
  'sslverify',
];
const LINES = ['baseurl', 'gpgkey'];
const WORDS = ['exclude', 'includepkgs'];
const list = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const SECRETS = ['password', 'proxy_password'];

/** The task's section: its options by name, as the module sets them (None left out). */
function sectionOf(p: YumRepositoryParams): Array<[string, string]> {
  const out: Array<[string, string]> = [['name', String(p.description)]];
  for (const k of TEXT) if (p[k] !== undefined) out.push([k, String(p[k])]);
  for (const k of FLAGS) if (p[k] !== undefined) out.push([k, p[k] ? '1' : '0']);
  for (const k of LINES) if (p[k] !== undefined) out.push([k, [p[k]].flat().join('\n')]);
  for (const k of WORDS) if (p[k] !== undefined) out.push([k, [p[k]].flat().join(' ')]);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

type Sections = Array<[string, Array<[string, string | null]>]>;

/** YumRepo.dump: sections and their options sorted, what the module compares. */
function dump(sections: Sections): string {
  const byName = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return [...sections]
    .sort(byName)
    .map(
      ([name, options]) =>
        `[${name}]\n${[...options]
          .sort(byName)
          .map(([k, v]) => `${k} = ${v}\n`)
          .join('')}\n`,
    )
    .join('');
}

/** RawConfigParser.write: each section, `key = value` (a line break continued with a tab), a blank line after. */
function written(sections: Sections): string {
  return sections
    .map(([name, options]) => {
      const lines = options.map(([k, v]) =>
        v === null ? `${k}\n` : `${k} = ${v.replaceAll('\n', '\n\t')}\n`,
      );
      return `[${name}]\n${lines.join('')}\n`;
    })
    .join('');
}

export const yumRepositoryModule = defineModule<YumRepositoryParams>({
  name: 'yum_repository',
  paramAliases: {
    excludepkgs: 'exclude',
    ca_cert: 'sslcacert',
    client_cert: 'sslclientcert',
    client_key: 'sslclientkey',
    validate_certs: 'sslverify',
  },
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      file: { type: 'string', minLength: 1 },
      reposdir: { type: 'string', minLength: 1 },
      state: { enum: ['present', 'absent'] },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      ...Object.fromEntries(TEXT.map((k) => [k, { type: ['string', 'number'] }])),
      ...Object.fromEntries(FLAGS.map((k) => [k, { type: 'boolean' }])),
      ...Object.fromEntries([...LINES, ...WORDS].map((k) => [k, list])),
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const state = p.state ?? 'present';
    const fail = (msg: string) => ({ changes: [], failed: msg, failedOnInput: true as const });
    if (
      state === 'present' &&
      p.baseurl === undefined &&
      p.mirrorlist === undefined &&
      p.metalink === undefined
    )
      return fail('state is present but any of the following are missing: baseurl, mirrorlist, metalink');
    if (state === 'present' && p.description === undefined)
      return fail('state is present but all of the following are missing: description');
    const dir = p.reposdir ?? '/etc/yum.repos.d';
    if ((await ctx.probePath(dir)).kind !== 'directory')
      return { changes: [], failed: `Repo directory '${dir}' does not exist.` };
    const path = `${dir.replace(/\/+$/, '')}/${p.file ?? p.name}.repo`;
    const found = await ctx.probePath(path, { content: true });
    const parser = new PyConfigParser({ allowNoValue: false, interpolation: false, caseSensitive: false });
    if (found.kind === 'file') parser.read(found.content ?? '');
    const before = parser.sectionsInOrder();
    const after: Sections = before.filter(([name]) => name !== p.name);
    if (state === 'present') after.push([p.name, sectionOf(p)]);
    const secrets = SECRETS.map((k) => p[k]).filter((v): v is string => typeof v === 'string' && v !== '');
    const result = { repo: p.name, state };
    const attrs = { mode: p.mode, owner: p.owner, group: p.group };
    if (dump(before) === dump(after)) {
      const kept = found.kind === 'file' ? attributeChanges(path, found, attrs) : [];
      return { changes: kept, result, secrets };
    }
    if (after.length === 0) {
      const remove: Change = {
        summary: `remove ${path}`,
        action: { kind: 'exec', command: sh`rm -f ${path}` },
      };
      return { changes: [remove], result, secrets };
    }
    const text = written(after);
    // a new file gets the umask's mode where the task names none, as the module's open()
    return {
      changes: contentChanges(
        path,
        found,
        text,
        found.kind === 'file' ? attrs : { ...attrs, mode: attrs.mode ?? '0644' },
      ),
      result,
      secrets,
    };
  },
});
