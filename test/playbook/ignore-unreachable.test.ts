/**
 * `ignore_unreachable`, held to ansible-core 2.19 side by side: a host that cannot be reached in
 * such a task registers `unreachable: true`, is counted as ignored, and goes on to the next task,
 * which connects again (and, still unreachable, ends the host). The host is a closed port on
 * loopback. quorum refused the keyword ("unknown key").
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { workspace, writeFiles } from '../helpers/run-local.ts';
import { cliSideBySide } from '../helpers/ssh-side-by-side.ts';

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

it('an unreachable host in such a task is registered, ignored, and goes on to the next task', async () => {
  const port = await closedPort();
  const dir = workspace();
  const [q, a] = ['q', 'a'].map((name) => {
    const d = join(dir, name);
    writeFiles(d, {
      'hosts.ini': `h1 ansible_host=127.0.0.1 ansible_port=${port} ansible_user=root ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'\n`,
      'play.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: down
      command: echo hi
      ignore_unreachable: true
      register: r
    - name: record
      copy: { dest: ${d}/r.json, content: "{{ r | dict2items | rejectattr('key', 'in', ['msg', 'exception']) | items2dict | to_json }}" }
      delegate_to: localhost
    - name: again
      command: echo hi
    - name: never
      debug: { msg: x }
`,
    });
    return d;
  });
  const sides = await cliSideBySide(q, a);
  expect(sides.theirs.code).toBe(4);
  expect(sides.mine.code).toBe(4);
  // Ansible prints the unreachable `again` as fatal and the delegated record as `h1 -> localhost`
  // (read as h1's); quorum reports a host unreachable in a node as an unreachable event, not a step
  expect(sides.ansible).toEqual({ down: 'failed', record: 'changed', again: 'failed' });
  expect(sides.theirs.stdout).toMatch(/changed: \[h1 -> localhost\]/);
  expect(sides.statuses).toEqual({ down: 'failed', record: 'changed' });
  const events = sides.mine.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(events.find((e) => e.type === 'node_end' && e.item === 'again')).toMatchObject({
    status: 'unreachable',
  });
  expect(events.find((e) => e.type === 'node_end' && e.item === 'never')).toMatchObject({
    status: 'skipped',
  });
  for (const d of [q, a])
    expect(JSON.parse(readFileSync(join(d, 'r.json'), 'utf8'))).toEqual({
      changed: false,
      unreachable: true,
    });
  expect(sides.theirs.stdout).toMatch(
    /h1 +: ok=2 +changed=1 +unreachable=1 +failed=0 +skipped=0 +rescued=0 +ignored=1/,
  );
  const recap = events.find((e) => e.type === 'recap');
  expect(recap.hosts.h1).toMatchObject({ changed: 1, unreachable: 1, failed: 0, ignored: 1 });
}, 120_000);
