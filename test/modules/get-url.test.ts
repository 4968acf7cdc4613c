/**
 * get_url against an HTTP server on loopback, run on this machine: the download lands with the
 * mode (YAML octal as Ansible reads it) and owner asked; a file that is already right still
 * gets them back; a second run changes nothing.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedSteps, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

describe('get_url', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('payload\n'));
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
});
