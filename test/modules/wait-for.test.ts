/**
 * wait_for's sleep, msg, search_regex (in a file, from a port) and timeout messages, held to
 * ansible-core 2.19's module side by side: the same statuses and the same registered values
 * (state, port, path, search_regex, match_groups, match_groupdict, and a found file's attributes).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsTask, sameResults, sameStatuses, sideBySide, tableTasks } from '../helpers/side-by-side.ts';

/** A local port that sends an SSH-like banner and keeps the connection open (a port to wait on). */
let server: Server;
let port = 0;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

const tasks = (out: string) =>
  [
    ['a path there', 'path: /etc/hostname, sleep: 2'],
    ['a path never there, with msg', 'path: /nonexistent/q, timeout: 1, sleep: 1, msg: "never came"', true],
    ['a path never there', 'path: /nonexistent/q, timeout: 1', true],
    ['a path that stays', 'path: /etc/hostname, state: absent, timeout: 1', true],
    ['a closed port', 'port: 9, host: 127.0.0.1, timeout: 1, connect_timeout: 1', true],
    ['a text in a file', `path: ${out}/log, search_regex: "started (?P<task>\\\\w+) on (\\\\d+)(x)?"`],
    ['a text across lines', `path: ${out}/log, search_regex: "^booting\\\\n(\\\\w+)"`],
    ['a text without groups', `path: ${out}/log, search_regex: "on [0-9]+$"`],
    ['a text never there', `path: ${out}/log, search_regex: "^never$", timeout: 1`, true],
    [
      'a text absent: the file is',
      `path: ${out}/log, search_regex: "never", state: absent, timeout: 1`,
      true,
    ],
    ['a banner from a port', `port: ${port}, search_regex: "OpenSSH_(?P<version>[0-9.]+)"`],
    ['a banner that never comes', `port: ${port}, search_regex: "nginx", timeout: 2`, true],
  ] as const;

describe('wait_for, as ansible-core 2.19', () => {
  it('waits with its sleep and search_regex, registers the groups, and fails in the module words, or msg', async () => {
    const side = await sideBySide((out) => {
      const table = tasks(out);
      return `- hosts: all
  gather_facts: false
  tasks:
    - name: a log
      copy: { dest: ${out}/log, content: "booting\\nstarted web on 8080\\n" }
${tableTasks('wait_for', table)}
${resultsTask(`${out}/results.json`, table.length, ['elapsed', 'invocation'])}
`;
    });
    sameStatuses(side);
    const results = sameResults(side.out);
    expect(results.map((r) => r.msg ?? null)).toEqual([
      null,
      'never came',
      'Timeout when waiting for file /nonexistent/q',
      'Timeout when waiting for /etc/hostname to be absent.',
      'Timeout when waiting for 127.0.0.1:9',
      null,
      null,
      null,
      'Timeout when waiting for search string ^never$ in DIR/log',
      'Timeout when waiting for DIR/log to be absent.',
      null,
      `Timeout when waiting for search string nginx in 127.0.0.1:${port}`,
    ]);
    expect(results[5]).toMatchObject({
      match_groups: ['web', '8080', null],
      match_groupdict: { task: 'web' },
    });
    expect(results[6]).toMatchObject({ match_groups: ['started'], match_groupdict: {} });
    expect(results[0]).toMatchObject({ state: 'file', uid: 0, mode: expect.stringMatching(/^0[0-7]{3,4}$/) });
    // from a port the module keeps no groups
    expect(results[10]).toMatchObject({ match_groups: [], match_groupdict: {}, state: 'started' });
  }, 120_000);
});
