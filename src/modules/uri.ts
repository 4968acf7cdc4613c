/**
 * `uri`: an HTTP request made from the host with curl, registered as ansible-core 2.19's uri
 * module registers it (lib/ansible/modules/uri.py, module_utils/urls.py fetch_url): status,
 * url, msg, redirected, the last response's headers, cookies, content, json, path. A GET or
 * HEAD without `dest` is a read and runs in check mode too; a download to `dest` and any other
 * method are actions, whose result comes from their output.
 */
import { pyJson } from '../template/jinja/json.ts';
import { quote, sh } from '../transport/shell.ts';
import { normalizeMode } from './content.ts';
import { pathInfoCommand } from './path-info.ts';
import { type Change, defineModule } from './types.ts';
import { parseUriOutput, W_MARK } from './uri-response.ts';

type Redirects = 'all' | 'no' | 'none' | 'safe' | 'urllib2' | 'yes';

interface UriParams {
  url: string;
  dest?: string;
  url_username?: string;
  url_password?: string;
  force_basic_auth?: boolean;
  body?: unknown;
  body_format?: 'json' | 'raw' | 'form-urlencoded';
  src?: string;
  remote_src?: boolean;
  method?: string;
  return_content?: boolean;
  follow_redirects?: Redirects;
  creates?: string;
  removes?: string;
  status_code?: number | number[];
  timeout?: number;
  headers?: Record<string, string>;
  unix_socket?: string;
  ca_path?: string;
  client_cert?: string;
  client_key?: string;
  validate_certs?: boolean;
  force?: boolean;
  http_agent?: string;
  use_proxy?: boolean;
  decompress?: boolean;
  ciphers?: string[];
  use_netrc?: boolean;
  mode?: string | number;
  owner?: string;
  group?: string;
  unsafe_writes?: boolean;
}

/** urllib's rule (urls.py redirect_request) for whether a redirect is followed, by method. */
function follows(p: UriParams, method: string): boolean {
  const how = p.follow_redirects ?? 'safe';
  if (how === 'none' || how === 'no') return false;
  if (how === 'all' || how === 'yes') return true;
  const read = method === 'GET' || method === 'HEAD';
  return how === 'urllib2' ? read || method === 'POST' : read;
}

/** The request body as the module encodes it (json.dumps, urlencode), or undefined. */
function bodyOf(p: UriParams): string | undefined {
  if (p.body === undefined || p.body === null) return undefined;
  if (typeof p.body === 'string') return p.body;
  if (p.body_format === 'json') return pyJson(p.body, {});
  if (p.body_format === 'form-urlencoded') {
    const pairs = Array.isArray(p.body)
      ? (p.body as Array<[string, unknown]>)
      : Object.entries(p.body as object);
    const form = new URLSearchParams();
    for (const [k, values] of pairs)
      for (const v of Array.isArray(values) ? values : [values]) if (v !== null) form.append(k, String(v));
    return form.toString();
  }
  return String(p.body);
}

/** curl's words for the request; `-D -` puts every response's headers before the body. */
function curlArgs(p: UriParams, method: string, body: string | undefined): string[] {
  const headers = { ...(p.headers ?? {}) };
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (p.body_format === 'json' && !has('content-type')) headers['Content-Type'] = 'application/json';
  if (p.body_format === 'form-urlencoded' && !has('content-type'))
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  // --head prints the headers itself; elsewhere `-D -` puts them before the body
  const args = [
    '-sS',
    ...(method === 'HEAD' ? ['--head'] : ['-D', '-']),
    '--max-time',
    String(p.timeout ?? 30),
  ];
  // a POST with a body is curl's own: a 301/302/303 then goes on as a GET, as urllib does
  const sends = body !== undefined || p.src !== undefined;
  if (method !== 'GET' && method !== 'HEAD' && !(method === 'POST' && sends)) args.push('-X', method);
  if (follows(p, method)) args.push('-L', '--max-redirs', '10');
  if (p.validate_certs === false) args.push('-k');
  if (p.ca_path) args.push('--cacert', p.ca_path);
  if (p.client_cert) args.push('--cert', p.client_cert);
  if (p.client_key) args.push('--key', p.client_key);
  if (p.unix_socket) args.push('--unix-socket', p.unix_socket);
  if (p.ciphers?.length) args.push('--ciphers', p.ciphers.join(':'));
  if (p.use_proxy === false) args.push('--noproxy', '*');
  if (p.use_netrc !== false && p.url_username === undefined) args.push('--netrc-optional');
  if (p.decompress !== false) args.push('--compressed');
  args.push('-A', p.http_agent ?? 'ansible-httpget');
  if (p.url_username !== undefined)
    args.push(
      p.force_basic_auth ? '--basic' : '--anyauth',
      '-u',
      `${p.url_username}:${p.url_password ?? ''}`,
    );
  if (p.force) args.push('-H', 'cache-control: no-cache');
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (body !== undefined) args.push('--data-binary', body);
  else if (p.src) args.push('--data-binary', p.remote_src ? `@${p.src}` : '@-');
  return args;
}

/** The request, then the `-w` line and curl's exit code (uri-response.ts reads them). */
const W_FORMAT = `${W_MARK}%{http_code} %{num_redirects} %{time_total} %{url_effective}\n`;
const curlLine = (args: string[], url: string, extra = '') =>
  `${sh`curl ${args}`}${extra} -w ${sh`${W_FORMAT}`} ${sh`${url}`}; echo "rc:$?"`;

/**
 * Download to `dest`: beside it first, moved into place only when the bytes differ (uri.py's
 * write_file), its attributes set only for a status it accepts other than 304.
 */
function downloadScript(p: UriParams, args: string[], expected: number[], dest: string): string {
  const mode = normalizeMode(p.mode);
  const owner = p.owner || p.group ? `${p.owner ?? ''}${p.group ? `:${p.group}` : ''}` : '';
  // If-Modified-Since from the file's time, as uri() passes last_mod_time (force: no-cache instead)
  const since = p.force ? 'set --' : 'if [ -f "$d" ]; then set -- -z "$d"; else set --; fi';
  const accepted = expected.filter((c) => c !== 304);
  return [
    sh`d=${dest}`,
    't=$(mktemp "$(dirname "$d")/.quorum-uri.XXXXXX") || exit 1',
    since,
    `out=$(${curlLine(args, p.url, ' -o "$t" "$@"')})`,
    'printf "%s\\n" "$out"',
    `code=\${out##*${W_MARK.trim()}}; code=\${code%% *}`,
    'write=no',
    ...(accepted.length
      ? [`case "$out" in *rc:0) case "$code" in ${accepted.join('|')}) write=yes;; esac;; esac`]
      : []),
    'if [ $write = yes ]; then',
    // a new file gets the umask's mode (atomic_move), an existing one keeps its own
    '  if [ -e "$d" ]; then chmod --reference="$d" "$t" && chown --reference="$d" "$t"; else chmod "$(printf %o $((0666 & ~$(umask))))" "$t"; fi',
    '  if cmp -s "$t" "$d"; then rm -f "$t"; else mv -f "$t" "$d" || { rm -f "$t"; exit 1; }; fi',
    ...(mode ? [`  chmod ${sh`${mode}`} "$d"`] : []),
    ...(owner ? [`  chown ${sh`${owner}`} "$d"`] : []),
    `  echo ${sh`${`${W_MARK.trim()}written`}`}`,
    'fi',
    'rm -f "$t"',
    pathInfoCommand('"$d"'),
  ].join('\n');
}

export const uriModule = defineModule<UriParams>({
  name: 'uri',
  paramAliases: { user: 'url_username', password: 'url_password' },
  schema: {
    type: 'object',
    properties: {
      url: { type: 'string', pattern: '^https?://' },
      dest: { type: 'string', minLength: 1 },
      url_username: { type: 'string' },
      url_password: { type: 'string' },
      force_basic_auth: { type: 'boolean' },
      body: {},
      body_format: { enum: ['json', 'raw', 'form-urlencoded'] },
      src: { type: 'string' },
      remote_src: { type: 'boolean' },
      method: { type: 'string', pattern: '^[A-Z]+$' },
      return_content: { type: 'boolean' },
      follow_redirects: { enum: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
      creates: { type: 'string' },
      removes: { type: 'string' },
      status_code: { anyOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }] },
      timeout: { type: 'integer', minimum: 1 },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      unix_socket: { type: 'string' },
      ca_path: { type: 'string' },
      client_cert: { type: 'string' },
      client_key: { type: 'string' },
      validate_certs: { type: 'boolean' },
      force: { type: 'boolean' },
      http_agent: { type: 'string' },
      use_proxy: { type: 'boolean' },
      decompress: { type: 'boolean' },
      ciphers: { type: 'array', items: { type: 'string' } },
      use_netrc: { type: 'boolean' },
      mode: { type: ['string', 'integer'] },
      owner: { type: 'string' },
      group: { type: 'string' },
      // the file is written beside dest and moved into place either way
      unsafe_writes: { type: 'boolean' },
    },
    required: ['url'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const method = p.method ?? 'GET';
    const expected = [p.status_code ?? 200].flat();
    const secrets = p.url_password ? [p.url_password] : [];
    if (p.body !== undefined && p.src !== undefined)
      return { changes: [], failed: 'parameters are mutually exclusive: body|src', failedOnInput: true };
    for (const [key, skipIf] of [
      ['creates', true],
      ['removes', false],
    ] as const) {
      const path = p[key];
      if (path === undefined) continue;
      const exists = (await ctx.probePath(path)).kind !== 'absent';
      const skippedBy = `skipped, since '${path}' ${skipIf ? 'exists' : 'does not exist'}`;
      if (exists === skipIf)
        return {
          changes: [],
          secrets,
          result: { stdout: skippedBy, stdout_lines: [skippedBy], changed: false },
        };
    }
    const body = bodyOf(p);
    const args = curlArgs(p, method, body);
    if (p.dest === undefined && !p.src && (method === 'GET' || method === 'HEAD')) {
      const r = await ctx.probe(curlLine(args, p.url));
      const reading = parseUriOutput(r.stdout, r.stderr, {
        url: p.url,
        expected,
        returnContent: p.return_content,
      });
      return {
        changes: [],
        secrets,
        result: reading.result,
        ...(reading.failed ? { failed: reading.failed } : {}),
      };
    }
    const destKind = p.dest === undefined ? undefined : (await ctx.probePath(p.dest)).kind;
    if (destKind === 'directory')
      return {
        changes: [],
        failed: `dest ${p.dest} is a folder: quorum's uri needs the file's own path there`,
        failedOnInput: true,
      };
    const options = { url: p.url, expected, returnContent: p.return_content, dest: p.dest };
    if (destKind === 'file' && method === 'GET' && !p.force && !p.src) {
      // the file's time as If-Modified-Since, the body thrown away: a 304 leaves nothing to do
      const dest = quote(p.dest as string);
      const r = await ctx.probe(
        `${curlLine(args, p.url, ` -z ${dest} -o /dev/null`)}; ${pathInfoCommand(dest)}`,
      );
      const reading = parseUriOutput(r.stdout, r.stderr, options);
      if (reading.result.status === 304)
        return {
          changes: [],
          secrets,
          result: reading.result,
          ...(reading.failed ? { failed: reading.failed } : {}),
        };
    }
    const stdin = p.src && !p.remote_src ? ctx.readLocalBytes(p.src, 'files') : undefined;
    const change: Change = {
      summary: p.dest ? `download ${p.url} to ${p.dest}` : `${method} ${p.url}`,
      action: {
        kind: 'exec',
        command: p.dest ? downloadScript(p, args, expected, p.dest) : curlLine(args, p.url),
        ...(stdin ? { stdin } : {}),
      },
      // the module's changed: a download written (not a 304); a request without dest never
      ...(p.dest
        ? { changedIf: (stdout: string) => parseUriOutput(stdout, '', options).written }
        : { reportedUnchanged: true }),
    };
    return {
      secrets,
      changes: [change],
      unpredictable: true,
      outputResult: {
        keys: ['status', 'url', 'msg'],
        from: (stdout) => parseUriOutput(stdout, '', options).result,
        failed: (stdout) => parseUriOutput(stdout, '', options).failed,
      },
    };
  },
});
