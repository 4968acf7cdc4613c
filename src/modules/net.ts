/** `get_url` (download with a checksum) and `wait_for` (port, path, http, command; with a timeout). */
import { sh } from '../transport/shell.ts';
import { attributeChanges, normalizeMode } from './content.ts';
import { type Action, defineModule } from './types.ts';

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

export interface WaitForParams {
  host?: string;
  port?: number;
  path?: string;
  url?: string;
  command?: string;
  state?: 'started' | 'present' | 'stopped' | 'absent';
  timeout?: number;
  delay?: number;
  /** Seconds between checks (Ansible's default 1). */
  sleep?: number;
  /** The failure's message when the wait times out. */
  msg?: string;
  /** Seconds a port check may take (quorum's check connects locally at once: taken). */
  connect_timeout?: number;
}

/** wait_for's own words when the wait times out (2.19's module); quorum's own for its url and command. */
function timeoutMessage(p: WaitForParams, negate: boolean): string {
  const host = p.host ?? '127.0.0.1';
  if (p.port !== undefined)
    return negate
      ? `Timeout when waiting for ${host}:${p.port} to stop.`
      : `Timeout when waiting for ${host}:${p.port}`;
  if (p.path !== undefined)
    return negate
      ? `Timeout when waiting for ${p.path} to be absent.`
      : `Timeout when waiting for file ${p.path}`;
  return `timed out after ${p.timeout ?? 300}s`;
}

/** A bounded poll loop, run on the host: it only reads, so it is a wait, never a change. */
function pollLoop(test: string, p: WaitForParams, negate: boolean): string {
  const cond = negate ? `! { ${test}; }` : test;
  const timeout = p.timeout ?? 300;
  const said = p.msg ?? timeoutMessage(p, negate);
  return `sleep ${p.delay ?? 0}; end=$(( $(date +%s) + ${timeout} )); until ${cond}; do if [ $(date +%s) -ge $end ]; then printf '%s\\n' ${sh`${said}`} >&2; exit 1; fi; sleep ${p.sleep ?? 1}; done`;
}

export const waitForModule = defineModule<WaitForParams>({
  name: 'wait_for',
  schema: {
    type: 'object',
    properties: {
      host: { type: 'string' },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      path: { type: 'string' },
      url: { type: 'string' },
      command: { type: 'string' },
      state: { enum: ['started', 'present', 'stopped', 'absent'] },
      timeout: { type: 'integer', minimum: 0 },
      delay: { type: 'integer', minimum: 0 },
      sleep: { type: 'number', minimum: 0 },
      msg: { type: 'string' },
      connect_timeout: { type: 'integer', minimum: 0 },
    },
    // none of them: the module only waits `timeout` seconds (a sleep, as Ansible's wait_for)
    not: {
      anyOf: [{ required: ['port', 'path'] }, { required: ['port', 'url'] }, { required: ['path', 'url'] }],
    },
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    if ([p.port, p.path, p.url, p.command].every((v) => v === undefined)) {
      const seconds = (p.delay ?? 0) + (p.timeout ?? 300);
      return {
        changes: [],
        waits: [{ kind: 'exec', command: `sleep ${seconds}` }],
        message: `wait ${seconds} s`,
      };
    }
    const negate = p.state === 'stopped' || p.state === 'absent';
    let test: string;
    let what: string;
    if (p.port !== undefined) {
      const host = p.host ?? '127.0.0.1';
      // bash's /dev/tcp needs the address inside a path: it reaches bash as an argument ($1),
      // never as part of the script text, so no value of `host` can become a command
      test = sh`bash -c ${'(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null'} wait_for ${host} ${String(p.port)}`;
      what = `port ${host}:${p.port}`;
    } else if (p.path !== undefined) {
      test = sh`test -e ${p.path}`;
      what = `path ${p.path}`;
    } else if (p.url !== undefined) {
      test = sh`curl -fsk -o /dev/null --max-time 2 ${p.url}`;
      what = `url ${p.url}`;
    } else {
      test = `{ ${p.command}; } >/dev/null 2>&1`;
      what = `command ${p.command}`;
    }
    // its failure says what timed out, in the module's words (or `msg`)
    const wait: Action = { kind: 'exec', command: pollLoop(test, p, negate), errorFromStderr: true };
    return { changes: [], waits: [wait], message: `wait for ${what} to be ${negate ? 'gone' : 'up'}` };
  },
});
