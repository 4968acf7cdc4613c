/**
 * get_url against an HTTP server on loopback, run on this machine: the download lands with the
 * mode (YAML octal as Ansible reads it) and owner asked; a file that is already right still
 * gets them back; a second run changes nothing. Held to ansible-core 2.19 side by side: the
 * checksum algorithms, a checksum read from a checksums file by URL, a wrong checksum, headers,
 * basic authentication and timeout; the second run and a check run change nothing.
 */
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedSteps, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';
import { checkPlansNothing, sameStatuses, sideBySide, tableTasks } from '../helpers/side-by-side.ts';

const hash = (algorithm: string) => createHash(algorithm).update('payload\n').digest('hex');
const SHA256 = hash('sha256');

describe('get_url', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/SHA256SUMS') return res.end(`${SHA256}  f\n0000  other\n`);
      if (req.url === '/hdr' && req.headers['x-token'] !== 'abc') return res.writeHead(403).end();
      if (
        req.url === '/auth' &&
        req.headers.authorization !== `Basic ${Buffer.from('u:s3cret-pw').toString('base64')}`
      )
        return res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="q"' }).end();
      res.end('payload\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/f`;
  });
  afterAll(() => server.close());

  it('downloads with the mode and owner asked, restores them on a file that is already right, then changes nothing', async () => {
    const dir = workspace();
    const dest = join(dir, 'got');
    const group = process.getgid?.() === 0 ? 'root' : undefined;
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      // mode 0640 unquoted: YAML 1.1 octal, 416 as Ansible reads it
      'play.yml': `- hosts: all\n  tasks:\n    - get_url:\n        url: ${url}\n        dest: ${dest}\n        mode: 0640\n${group ? `        group: ${group}\n` : ''}`,
    });
    const first = await runLocal(dir);
    expect(first.code).toBe(0);
    expect(readFileSync(dest, 'utf8')).toBe('payload\n');
    expect(statSync(dest).mode & 0o777).toBe(0o640);
    expect(changedSteps(first)).toHaveLength(1);
    expect(changedSteps(await runLocal(dir))).toEqual([]);

    chmodSync(dest, 0o600);
    const restore = await runLocal(dir);
    expect(restore.code).toBe(0);
    expect(statSync(dest).mode & 0o777).toBe(0o640);
    expect(changedSteps(restore)).toHaveLength(1);
    expect(changedSteps(await runLocal(dir, { check: true }))).toEqual([]);
  });

  it('checksums, headers, authentication and timeout as ansible-core 2.19, then nothing to change', async () => {
    const base = url.replace(/\/f$/, '');
    const tasks = (d: string): Array<[string, string, boolean?]> => [
      ['sha256', `url: ${base}/f, dest: ${d}/a, checksum: "sha256:${SHA256}"`],
      ['sha1', `url: ${base}/f, dest: ${d}/b, checksum: "sha1:${hash('sha1')}"`],
      ['md5', `url: ${base}/f, dest: ${d}/c, checksum: "md5:${hash('md5')}"`],
      ['sums file', `url: ${base}/f, dest: ${d}/d, checksum: "sha256:${base}/SHA256SUMS"`],
      ['wrong', `url: ${base}/f, dest: ${d}/e, checksum: "sha256:${'0'.repeat(64)}"`, true],
      ['headers', `url: ${base}/hdr, dest: ${d}/g, headers: { X-Token: abc }, timeout: 5`],
      ['no header', `url: ${base}/hdr, dest: ${d}/h`, true],
      [
        'auth',
        `url: ${base}/auth, dest: ${d}/i, url_username: u, url_password: s3cret-pw, force_basic_auth: true`,
      ],
    ];
    const play = (d: string, keptOnly = false) =>
      `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks(
        'get_url',
        tasks(d).filter(([, , fails]) => !keptOnly || !fails),
      )}\n`;
    const first = await sideBySide(play);
    expect(sameStatuses(first)).toMatchObject({
      sha256: 'changed',
      'sums file': 'changed',
      wrong: 'failed',
      auth: 'changed',
    });
    for (const f of ['a', 'b', 'c', 'd', 'g', 'i'])
      expect(readFileSync(join(first.out.quorum, f), 'utf8')).toBe('payload\n');
    // the downloads that worked, again: nothing changes (the checksum matches the file), nor in a check run
    writeFiles(first.dir, { 'play.yml': play(first.out.quorum, true) });
    const again = await runLocal(first.dir);
    expect(again.code).toBe(0);
    expect(changedSteps(again)).toEqual([]);
    await checkPlansNothing(first.dir, play(first.out.quorum, true));
    expect(JSON.stringify([first.run.events, again.events])).not.toContain('s3cret-pw');
  });
});
