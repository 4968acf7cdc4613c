/**
 * lookup('url', URL ...), as ansible-core 2.19's plugin: the body of a GET on the controller, split
 * into lines (Python's bytes.splitlines) unless `split_lines=False`; an HTTP error status or a
 * failed connection fails the lookup in the plugin's words. Templates render synchronously, so the
 * request runs in a child Node process; each URL (with its options) is fetched once per quorum
 * process, as `pipe` runs once, where Ansible fetches at every render. No proxy is used.
 */
import { execFileSync } from 'node:child_process';
import { ControllerStateError, FilterError } from './filter-error.ts';
import { ansibleBoolean } from './lookup-options.ts';
import { pyRepr } from './values.ts';

export const URL_OPTIONS = [
  ...['validate_certs', 'split_lines', 'use_proxy', 'username', 'password', 'headers', 'timeout'],
  ...['http_agent', 'force_basic_auth', 'follow_redirects', 'force'],
];
const MAX_BODY = 16 * 1024 * 1024;
const fetched = new Map<string, Buffer>();

/** The child: fetch with the options, answer { status, reason, body (base64) } or { error }. */
const FETCH = `
const [url, o] = [process.argv[1], JSON.parse(process.argv[2])];
const go = async (auth) => {
  const headers = { 'user-agent': o.agent, ...o.headers };
  if (auth) headers.authorization = 'Basic ' + Buffer.from(o.username + ':' + (o.password ?? '')).toString('base64');
  return fetch(url, { headers, redirect: o.follow ? 'follow' : 'manual', signal: AbortSignal.timeout(o.timeout * 1000) });
};
(async () => {
  try {
    let r = await go(o.username !== undefined && o.forceAuth);
    if (r.status === 401 && o.username !== undefined && !o.forceAuth && /basic/i.test(r.headers.get('www-authenticate') ?? '')) r = await go(true);
    const body = Buffer.from(await r.arrayBuffer());
    if (body.length > ${MAX_BODY}) throw new Error('the body is larger than ${MAX_BODY} bytes');
    process.stdout.write(JSON.stringify({ status: r.status, reason: r.statusText, body: body.toString('base64') }));
  } catch (e) {
    const cause = e.cause?.code ?? e.cause?.message ?? '';
    process.stdout.write(JSON.stringify({ error: e.name === 'TimeoutError' ? 'timed out' : [e.message, cause].filter(Boolean).join(': ') }));
  }
})();
`;

/** Python's bytes.splitlines: \r\n, \r or \n end a line; a last line without one counts. */
function bytesSplitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function get(url: string, o: Record<string, unknown>): Buffer {
  const settings = {
    agent: o.http_agent ?? 'ansible-httpget',
    headers: o.headers ?? {},
    timeout: Number(o.timeout ?? 10),
    username: o.username,
    password: o.password,
    forceAuth: ansibleBoolean(o.force_basic_auth),
    // urllib2 (the default), all, yes: follow; none, no, safe (a GET is safe): as written
    follow: !['none', 'no', false].includes(o.follow_redirects as never),
  };
  const key = JSON.stringify([url, settings, o.validate_certs]);
  const known = fetched.get(key);
  if (known) return known;
  const out = execFileSync(process.execPath, ['--no-warnings', '-e', FETCH, url, JSON.stringify(settings)], {
    encoding: 'utf8',
    maxBuffer: MAX_BODY * 2,
    timeout: (settings.timeout + 5) * 1000,
    env:
      o.validate_certs === false || o.validate_certs === 'no'
        ? { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' }
        : process.env,
  });
  const r = JSON.parse(out) as { status?: number; reason?: string; body?: string; error?: string };
  // what a server answers is the world's state, not the task's fault: validate warns, the run fails
  // the task if it still fails then (prometheus-community asks GitHub only when a version is "latest")
  if (r.error !== undefined)
    throw new ControllerStateError(`Failed lookup url for ${url} : <urlopen error ${r.error}>`);
  if ((r.status ?? 0) >= 400)
    throw new ControllerStateError(`Received HTTP error for ${url} : HTTP Error ${r.status}: ${r.reason}`);
  const body = Buffer.from(r.body ?? '', 'base64');
  fetched.set(key, body);
  return body;
}

export function urlLookup(terms: unknown[], kwargs: Record<string, unknown>): unknown[] {
  if (
    kwargs.use_proxy !== undefined &&
    ansibleBoolean(kwargs.use_proxy) &&
    (process.env.https_proxy || process.env.http_proxy)
  )
    throw new FilterError('lookup("url"): quorum does not go through a proxy; set use_proxy=False');
  if (kwargs.force !== undefined && ansibleBoolean(kwargs.force))
    throw new FilterError(`lookup("url"): force=${pyRepr(kwargs.force)} is not supported`);
  const out: unknown[] = [];
  for (const term of terms) {
    const text = get(String(term), kwargs).toString('utf8');
    if (kwargs.split_lines === undefined || ansibleBoolean(kwargs.split_lines))
      out.push(...bytesSplitLines(text));
    else out.push(text);
  }
  return out;
}
