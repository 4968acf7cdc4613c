/**
 * curl's answer to a uri request (`-D -`: every response's headers, then the body, then the
 * `-w` line and curl's exit code) read into what ansible-core 2.19's uri module registers:
 * fetch_url's info (the final response's headers, lowercased; cookies; "OK (N bytes)" or
 * urllib's "HTTP Error N: reason" for any answer outside 2xx), then uri's own keys.
 */
import { pyRepr } from '../template/jinja/values.ts';
import { pathInfo } from './path-info.ts';

/** Starts the `-w` line (after the body) and, on a line of its own, "written" for a download moved into place. */
export const W_MARK = '\n__quorum_uri:';

export interface UriReading {
  result: Record<string, unknown>;
  /** The module's failure message (a status not in status_code, no answer). */
  failed?: string;
  /** A download was written to dest (not a 304): the module reports changed. */
  written: boolean;
}

interface Response {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
}

/** The header blocks at the start of `text`: as many as curl followed, plus any 1xx before them. */
function headerBlocks(text: string, followed: number): { responses: Response[]; body: string } {
  const responses: Response[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/')) {
    const end = rest.search(/\r?\n\r?\n/);
    const block = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end + (rest.slice(end).startsWith('\r\n\r\n') ? 4 : 2));
    const [statusLine, ...lines] = block.split(/\r?\n/);
    const m = /^HTTP\/\S+\s+(\d{3})\s*(.*)$/.exec(statusLine);
    const headers = lines.flatMap((l): Array<[string, string]> => {
      const at = l.indexOf(':');
      return at > 0 ? [[l.slice(0, at).trim().toLowerCase(), l.slice(at + 1).trim()]] : [];
    });
    const response = { status: Number(m?.[1] ?? -1), reason: m?.[2] ?? '', headers };
    responses.push(response);
    const finals = responses.filter((r) => r.status >= 200).length;
    if (response.status >= 200 && finals > followed) break;
  }
  return { responses, body: rest };
}

function headerDict(r: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of r.headers) out[k] = k in out ? `${out[k]}, ${v}` : v;
  return out;
}

/** Python's cookie jar over the chain, in the order the cookies came (2.19 side by side). */
function cookiesOf(responses: Response[]): Record<string, string> {
  const found: Array<[string, string]> = [];
  for (const r of responses)
    for (const [k, v] of r.headers) {
      if (k !== 'set-cookie') continue;
      const pair = v.split(';')[0];
      const at = pair.indexOf('=');
      if (at > 0) found.push([pair.slice(0, at).trim(), pair.slice(at + 1).trim()]);
    }
  return Object.fromEntries(found);
}

/** parse_content_type: is the answer JSON (or +json, javascript)? */
function maybeJson(contentType: string | undefined): boolean {
  const type = (contentType ?? 'text/plain').split(';')[0].split(',')[0].trim().toLowerCase();
  const sub = type.split('/')[1] ?? '';
  const name = sub.includes('+') ? sub.slice(sub.indexOf('+') + 1) : sub;
  return name === 'json' || name === 'javascript';
}

export function parseUriOutput(
  stdout: string,
  stderr: string,
  o: { url: string; expected: number[]; returnContent?: boolean; dest?: string },
): UriReading {
  const written = stdout.includes(`${W_MARK}written`);
  const text = stdout.replace(`${W_MARK}written`, '');
  const at = text.lastIndexOf(W_MARK);
  const trailer = at < 0 ? '' : text.slice(at + W_MARK.length);
  const [wLine = '', rcLine = ''] = trailer.split('\n');
  const [, redirects = '0', seconds = '0', ...finalUrl] = wLine.split(' ');
  const rc = Number(/rc:(\d+)/.exec(rcLine)?.[1] ?? 1);
  const { responses, body } = headerBlocks(at < 0 ? text : text.slice(0, at), Number(redirects));
  const last = responses.at(-1);
  const elapsed = Math.floor(Number(seconds) || 0);
  if (!last || (rc !== 0 && last.status < 100)) {
    const why = stderr.trim().split('\n').at(-1) || `curl exited ${rc}`;
    const msg = `Request failed: ${why}`;
    const result = { url: o.url, status: -1, msg, redirected: false, elapsed, changed: false };
    return {
      result: { ...result, msg: failure(-1, o.expected, msg) },
      failed: failure(-1, o.expected, msg),
      written,
    };
  }
  const headers = headerDict(last);
  const ok = last.status >= 200 && last.status < 300;
  const info: Record<string, unknown> = { url: o.url, status: last.status, ...headers };
  if (ok) {
    const cookies = cookiesOf(responses);
    Object.assign(info, {
      cookies_string: Object.entries(cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
      cookies,
      msg: `OK (${headers['content-length'] ?? 'unknown'} bytes)`,
      url: finalUrl.join(' ') || o.url,
    });
  } else info.msg = `HTTP Error ${last.status}: ${last.reason}`;
  const json = maybeJson(headers['content-type']);
  const output = json || o.returnContent || !o.expected.includes(last.status);
  const result: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ redirected: info.url !== o.url, ...info, elapsed, changed: written }))
    result[k.replace(/-/g, '_').toLowerCase()] = v;
  if (typeof result.location === 'string') result.location = new URL(result.location, o.url).toString();
  // uri.py sets path for any answer; exit_json/fail_json then add the file's stat (add_path_info)
  if (o.dest !== undefined) Object.assign(result, { path: o.dest }, pathInfo(stdout));
  if (json && output)
    try {
      result.json = JSON.parse(body);
    } catch {
      // not JSON after all: Ansible leaves `json` out
    }
  if (o.returnContent) result.content = body;
  // fetch_url keeps an error's body in its info unless uri read it as the content
  if (!ok && !output) result.body = body;
  if (!o.expected.includes(last.status)) {
    const msg = failure(last.status, o.expected, String(info.msg));
    return { result: { ...result, msg }, failed: msg, written };
  }
  return { result, written };
}

function failure(status: number, expected: number[], msg: string): string {
  return `Status code was ${status} and not ${pyRepr(expected)}: ${msg}`;
}
