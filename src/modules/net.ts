/** `get_url`: a download with a checksum. */
import { sh } from '../transport/shell.ts';
import { attributeChanges, normalizeMode } from './content.ts';
import { defineModule } from './types.ts';

export interface GetUrlParams {
  url: string;
  dest: string;
  checksum?: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  force?: boolean;
  timeout?: number;
  headers?: Record<string, string>;
  validate_certs?: boolean;
  url_username?: string;
  url_password?: string;
  force_basic_auth?: boolean;
  http_agent?: string;
  tmp_dest?: string;
}

const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

/** curl's options for get_url's connection parameters (the socket timeout as a stall limit). */
function curlOptions(p: GetUrlParams): string {
  const timeout = p.timeout ?? 10;
  const parts = [
    sh`--connect-timeout ${String(timeout)} --speed-time ${String(timeout)} --speed-limit 1`,
    ...Object.entries(p.headers ?? {}).map(([k, v]) => sh`-H ${`${k}: ${v}`}`),
    p.validate_certs === false ? '-k' : '',
    sh`-A ${p.http_agent ?? 'ansible-httpget'}`,
    p.url_username !== undefined
      ? `${p.force_basic_auth ? '--basic' : '--anyauth'} ${sh`-u ${`${p.url_username}:${p.url_password ?? ''}`}`}`
      : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The same for wget, where a host has no curl. */
function wgetOptions(p: GetUrlParams): string {
  return [
    sh`-q -T ${String(p.timeout ?? 10)}`,
    ...Object.entries(p.headers ?? {}).map(([k, v]) => sh`--header ${`${k}: ${v}`}`),
    p.validate_certs === false ? '--no-check-certificate' : '',
    sh`-U ${p.http_agent ?? 'ansible-httpget'}`,
    p.url_username !== undefined
      ? `${p.force_basic_auth ? '--auth-no-challenge ' : ''}${sh`--user ${p.url_username} --password ${p.url_password ?? ''}`}`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * The checksum asked, as the module reads `algorithm:value`: the value itself, or a URL of a
 * checksums file, in which the line naming the downloaded file (or its only line) gives it.
 */
function checksumProbe(p: GetUrlParams): { algorithm: string; script: string } | undefined {
  if (!p.checksum) return undefined;
  const at = p.checksum.indexOf(':');
  const algorithm = p.checksum.slice(0, at).toLowerCase();
  const value = p.checksum.slice(at + 1);
  if (!/^(https?|ftp|file):\/\//.test(value)) return { algorithm, script: sh`echo ${value.toLowerCase()}` };
  const name = value === p.url ? '' : (new URL(p.url).pathname.split('/').pop() ?? '');
  // a line "HASH  NAME" (or "HASH *NAME", "HASH  ./NAME") for the file, else a file of one hash
  const pick = `awk -v f=${sh`${name}`} 'NF==1 && NR==1 {one=$1} {n=$2; sub(/^[*]/, "", n); sub(/^[.][/]/, "", n)} n==f {print tolower($1); found=1; exit} END {if (!found && NR==1 && one!="") print tolower(one)}'`;
  return { algorithm, script: `curl -fsSL ${curlOptions(p)} ${sh`${value}`} | ${pick}` };
}

export const getUrlModule = defineModule<GetUrlParams>({
  name: 'get_url',
  schema: {
    type: 'object',
    properties: {
      url: { type: 'string', pattern: '^(https?|ftp|file)://' },
      dest: { type: 'string', minLength: 1 },
      checksum: { type: 'string', pattern: `^(${ALGORITHMS.join('|')}):.+$` },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      force: { type: 'boolean' },
      timeout: { type: 'integer', minimum: 1 },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      validate_certs: { type: 'boolean' },
      url_username: { type: 'string' },
      url_password: { type: 'string' },
      force_basic_auth: { type: 'boolean' },
      http_agent: { type: 'string' },
      // accepted: quorum downloads beside dest, then moves the file into place
      tmp_dest: { type: 'string' },
    },
    required: ['url', 'dest'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const sum = checksumProbe(p);
    const tool = sum ? `${sum.algorithm}sum` : 'sha256sum';
    const attrs = { mode: p.mode, owner: p.owner, group: p.group };
    const r = await ctx.probe(
      `${sum ? `echo "want $(${sum.script})"; ` : ''}${sh`if [ -f ${p.dest} ]; then ${tool} ${p.dest}; else echo absent; fi`}`,
    );
    const lines = r.stdout.split('\n');
    const want = sum ? (lines.shift() ?? '').replace(/^want ?/, '').trim() : undefined;
    if (sum && !want)
      return {
        changes: [],
        failed: `Unable to find a checksum for file '${p.url.split('/').pop()}' in '${p.checksum?.slice(p.checksum.indexOf(':') + 1)}'`,
      };
    const have = lines[0]?.trim() === 'absent' ? undefined : lines[0]?.split(' ')[0];
    const secrets = p.url_password ? [p.url_password] : [];
    // as Ansible's get_url: a file that is already right still gets its mode and owner
    if (have && (want ? have === want : !p.force))
      return { changes: attributeChanges(p.dest, await ctx.probePath(p.dest), attrs), secrets };
    const tmp = `${p.dest}.quorum-download`;
    const verify = want ? ` && echo ${sh`${`${want}  ${tmp}`}`} | ${tool} -c --quiet -` : '';
    const mode = normalizeMode(p.mode);
    const chmod = mode ? sh` && chmod ${mode} ${tmp}` : '';
    const owner = p.owner || p.group ? `${p.owner ?? ''}${p.group ? `:${p.group}` : ''}` : '';
    const chown = owner ? sh` && chown ${owner} ${tmp}` : '';
    const fetch = `if command -v curl >/dev/null; then curl -fsSL ${curlOptions(p)} -o ${sh`${tmp} ${p.url}`}; else wget ${wgetOptions(p)} -O ${sh`${tmp} ${p.url}`}; fi`;
    return {
      secrets,
      changes: [
        {
          summary: `download ${p.url} to ${p.dest}${have ? ` (checksum ${have.slice(0, 12)}... differs)` : ''}`,
          action: {
            kind: 'exec',
            command: `${fetch}${verify}${chmod}${chown} && mv -f ${sh`${tmp} ${p.dest}`} || { rm -f ${sh`${tmp}`}; exit 1; }`,
          },
        },
      ],
    };
  },
});
