/**
 * uri against an HTTP server on loopback, held to ansible-core 2.19 side by side: what each
 * request registers (status, url, msg, redirected, headers, cookies, json, content, path),
 * redirects by follow_redirects, an unaccepted status failing the task, bodies as json and
 * form-urlencoded, basic authentication, creates/removes, HEAD, and a download to `dest`
 * (If-Modified-Since on the next run: 304, not changed), then the same again changes the same
 * tasks as Ansible and a check run of the download changes nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedSteps, runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import {
  changedAgain,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

const MODIFIED = 'Wed, 01 Jan 2020 00:00:00 GMT';
/** POSTs the server has had to /count. */
let posts = 0;

function serve(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  // no Date, and the connection closed as urllib asks: both clients see the same headers
  res.sendDate = false;
  res.setHeader('Connection', 'close');
  const path = req.url ?? '/';
  if (path === '/json') {
    res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=two; Path=/']);
    return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"x": [1, 2], "ok": true}');
  }
  if (path === '/text')
    return res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 6 }).end('hello\n');
  if (path === '/chunked') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('part one, ');
    return res.end('part two');
  }
  if (path === '/redir') return res.writeHead(302, { Location: '/text' }).end();
  if (path === '/post-redirect') return res.writeHead(302, { Location: '/echo' }).end();
  if (path === '/missing') return res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here\n');
  if (path === '/auth') {
    const ok = req.headers.authorization === `Basic ${Buffer.from('u:s3cret-pw').toString('base64')}`;
    return ok ? res.end('in\n') : res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="q"' }).end();
  }
  if (path === '/file') {
    const since = req.headers['if-modified-since'];
    if (since && Date.parse(since) >= Date.parse(MODIFIED)) return res.writeHead(304).end();
    return res.writeHead(200, { 'Last-Modified': MODIFIED, 'Content-Length': 13 }).end('file-content\n');
  }
  if (path === '/count') {
    posts++;
    return res.end('counted\n');
  }
  if (path === '/echo') {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    return req.on('end', () =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ method: req.method, type: req.headers['content-type'] ?? null, body })),
    );
  }
  res.writeHead(500).end();
}

describe('uri', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer(serve);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => server.close());

  it('registers what ansible-core 2.19 registers, request by request, and changes what it changes', async () => {
    const tasks = (d: string): Array<[string, string, boolean?]> => [
      ['json', `url: ${base}/json`],
      ['text', `url: ${base}/text, return_content: true`],
      ['chunked', `url: ${base}/chunked, return_content: true`],
      ['redirect followed', `url: ${base}/redir, return_content: true`],
      ['redirect kept', `url: ${base}/redir, follow_redirects: none, status_code: 302`],
      ['missing', `url: ${base}/missing`, true],
      ['missing accepted', `url: ${base}/missing, status_code: [200, 404], return_content: true`],
      ['post json', `url: ${base}/echo, method: POST, body_format: json, body: { a: 1, b: [x] }`],
      [
        'post form',
        `url: ${base}/echo, method: POST, body_format: form-urlencoded, body: { x: [1, 2], y: z }`,
      ],
      ['put raw', `url: ${base}/echo, method: PUT, body: "raw text", return_content: true`],
      [
        'auth',
        `url: ${base}/auth, user: u, password: s3cret-pw, force_basic_auth: true, return_content: true`,
      ],
      ['unauthorized', `url: ${base}/auth`, true],
      ['download', `url: ${base}/file, dest: ${d}/file, mode: "0640", status_code: [200, 304]`],
      ['download again', `url: ${base}/file, dest: ${d}/file, mode: "0640", status_code: [200, 304]`],
      // the file is there: If-Modified-Since gets a 304, which the default status_code refuses
      ['not modified', `url: ${base}/file, dest: ${d}/file`, true],
      ['creates', `url: ${base}/file, creates: ${d}/file`],
      ['removes', `url: ${base}/file, removes: ${d}/nothing`],
      ['head', `url: ${base}/text, method: HEAD`],
      ['post redirected', `url: ${base}/post-redirect, method: POST, body: x, follow_redirects: all`],
    ];
    const count = tasks('').length;
    const play = (d: string) =>
      `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks('uri', tasks(d))}\n${resultsTask(`${d}/results.json`, count, ['elapsed', 'invocation'])}\n`;
    const both = await sideBySide(play);
    const statuses = sameStatuses(both);
    expect(statuses).toMatchObject({
      download: 'changed',
      'download again': 'ok',
      missing: 'failed',
      json: 'ok',
    });
    const results = sameResults(both.out);
    expect(results[0]).toMatchObject({
      status: 200,
      json: { x: [1, 2], ok: true },
      cookies: { a: '1', b: 'two' },
    });
    expect(results[3]).toMatchObject({ redirected: true, url: `${base}/text`, content: 'hello\n' });
    expect(results[9]).toMatchObject({ json: { method: 'PUT', body: 'raw text' } });
    expect(results[18]).toMatchObject({ json: { method: 'GET', body: '' } });
    const file = join(both.out.quorum, 'file');
    expect(readFileSync(file, 'utf8')).toBe('file-content\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // the password is a secret: never in the event stream
    expect(JSON.stringify(both.run.events)).not.toContain('s3cret-pw');
    expect(await changedAgain(both.dir)).toEqual([]);
  }, 120_000);

  it('a check run of a converged download changes nothing and sends no POST; a POST is ok, not changed, as 2.19 reports it', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        `    - uri: { url: "${base}/file", dest: "${dir}/got", status_code: [200, 304] }`,
        `    - uri: { url: "${base}/count", method: POST, body: one }`,
        '',
      ].join('\n'),
    });
    const before = posts;
    expect(changedSteps(await runLocal(dir))).toHaveLength(1);
    expect(posts).toBe(before + 1);
    const check = await runLocal(dir, { check: true });
    expect(changedSteps(check)).toEqual([]);
    expect(posts).toBe(before + 1);
    const again = await runLocal(dir);
    expect(changedSteps(again)).toEqual([]);
    expect(steps(again).map((s) => s.status)).toEqual(['ok', 'ok']);
    expect(posts).toBe(before + 2);
    expect(readFileSync(join(dir, 'got'), 'utf8')).toBe('file-content\n');
  }, 60_000);
});
