/**
 * known_hosts held to ansible-core 2.19's module: the same tasks through ansible-playbook and
 * quorum, each on a known_hosts file of its own side (a local connection, keys made by this
 * test's ssh-keygen): the same status task by task, the same registered fields and the same
 * file left, then a check run of the same play on the converged files predicting what 2.19's
 * check predicts, and changing nothing.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace } from '../helpers/run-local.ts';
import {
  ansibleStatuses,
  resultsTask,
  sideBySide,
  tableTasks,
  writtenResults,
} from '../helpers/side-by-side.ts';

/** A new host key's public half: "TYPE BASE64". */
function hostKey(dir: string, name: string, type: 'ed25519' | 'ecdsa'): string {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  return readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
}

const keys = workspace();
const [edA, edB, ec, other] = [
  hostKey(keys, 'a', 'ed25519'),
  hostKey(keys, 'b', 'ed25519'),
  hostKey(keys, 'c', 'ecdsa'),
  hostKey(keys, 'd', 'ed25519'),
];
/** What the file holds before: a comment, another host, a host in a list, a hashed line. */
const BEFORE = `# managed elsewhere
other.example.com ${other}
web1,10.0.0.5 ${edA}
`;

const TASKS = (f: string) =>
  [
    ['a new host', `path: ${f}, name: host1.example.com, key: "host1.example.com ${edA}"`],
    ['the same key again', `path: ${f}, name: host1.example.com, key: "host1.example.com ${edA}"`],
    ['another key of the same type', `path: ${f}, name: host1.example.com, key: "host1.example.com ${edB}"`],
    ['a key of another type', `path: ${f}, host: HOST1.example.com, key: "host1.example.com ${ec}"`],
    ['a port', `path: ${f}, name: "[host2.example.com]:2222", key: "[host2.example.com]:2222 ${edA}"`],
    ['a name in a list already there', `path: ${f}, name: 10.0.0.5, key: "web1,10.0.0.5 ${edA}"`],
    ['hashed', `path: ${f}, name: host3.example.com, key: "host3.example.com ${edB}", hash_host: true`],
    ['hashed again', `path: ${f}, name: host3.example.com, key: "host3.example.com ${edB}", hash_host: true`],
    [
      'one key removed',
      `path: ${f}, name: host1.example.com, key: "host1.example.com ${edB}", state: absent`,
    ],
    [
      'a key not there, removed',
      `path: ${f}, name: host1.example.com, key: "host1.example.com ${edA}", state: absent`,
    ],
    ['every key of a host removed', `path: ${f}, name: "[host2.example.com]:2222", state: absent`],
    ['a host not there, removed', `path: ${f}, name: nowhere.example.com, state: absent`],
    ['a key of another host', `path: ${f}, name: host4.example.com, key: "host5.example.com ${edA}"`, true],
    [
      'a list of names',
      `path: ${f}, name: "a.example.com, b.example.com", key: "a.example.com ${edA}"`,
      true,
    ],
    ['no key', `path: ${f}, name: host6.example.com`, true],
    ['a folder that is not there', `path: ${f}.d/none/known_hosts, name: h7, key: "h7 ${edA}"`, true],
  ] as const;

const play = (out: string) =>
  [
    '- hosts: all',
    '  gather_facts: false',
    '  tasks:',
    tableTasks('known_hosts', TASKS(join(out, 'known_hosts'))),
    resultsTask(`${out}/results.json`, TASKS('').length, ['diff', 'invocation', 'warnings', 'exception']),
    '',
  ].join('\n');

/** The results, each side's folder written DIR. */
const results = (out: string) => writtenResults(join(out, 'results.json'), out);
/** The file with hashed host fields (a random salt per side) made comparable. */
const fileOf = (out: string) =>
  readFileSync(join(out, 'known_hosts'), 'utf8').replace(/\|1\|[^ ]+/g, '|1|HASHED');

describe('known_hosts, as ansible-core 2.19', () => {
  it('changes what the module changes, task by task, and leaves the same file', async () => {
    const { dir, out, run, oracle } = await sideBySide((o) => {
      writeFileSync(join(o, 'known_hosts'), BEFORE, { mode: 0o640 });
      return play(o);
    });
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const theirs = ansibleStatuses(oracle.stdout);
    const mine = Object.fromEntries(steps(run).map((s) => [s.task, s.status]));
    expect(mine).toEqual(theirs);
    expect(theirs).toMatchObject({
      'a new host': 'changed',
      'the same key again': 'ok',
      'another key of the same type': 'changed',
      hashed: 'changed',
      'hashed again': 'ok',
      'one key removed': 'changed',
      'a key not there, removed': 'ok',
      'a host not there, removed': 'ok',
      'every key of a host removed': 'changed',
      'a key of another host': 'failed',
    });
    // the last: a folder not there fails on writing; the module's words name its random temporary file
    const [myResults, theirResults] = [results(out.quorum), results(out.ansible)];
    expect(myResults.slice(0, -1)).toEqual(theirResults.slice(0, -1));
    expect(theirResults.at(-1)?.msg).toMatch(
      /Failed to write to file 'DIR\/known_hosts.d\/none\/known_hosts'/,
    );
    expect(myResults.at(-1)).toMatchObject({ failed: true, changed: false });
    expect(myResults.at(-1)?.msg).toContain('DIR/known_hosts.d/none');
    expect(fileOf(out.quorum)).toBe(fileOf(out.ansible));
    expect(fileOf(out.quorum)).toContain(`host1.example.com ${ec}`);
    expect(statSync(join(out.quorum, 'known_hosts')).mode & 0o777).toBe(0o640);
    // ssh-keygen -R keeps the file it changed beside it, on both sides
    expect(readFileSync(join(out.quorum, 'known_hosts.old'), 'utf8')).toContain('[host2.example.com]:2222');

    // a check run of the same play on the converged files: what 2.19's check predicts, nothing changed
    const converged = fileOf(out.quorum);
    const check = await runLocal(dir, { check: true });
    const theirCheck = await ansibleCurrent(
      'ansible-playbook',
      ['-i', 'hosts.ini', 'ansible.yml', '--check'],
      dir,
    );
    const mineCheck = Object.fromEntries(
      steps(check)
        .filter((s) => s.task !== 'results')
        .map((s) => [s.task, s.status === 'would_change' ? 'changed' : s.status]),
    );
    const { results: _, ...theirsCheck } = ansibleStatuses(theirCheck.stdout);
    expect(mineCheck).toEqual(theirsCheck);
    expect(fileOf(out.quorum)).toBe(converged);
  }, 120_000);

  it('a new file is made 0644; ~ is the user’s home, and a check run there writes nothing', async () => {
    const home = '/root/.ssh/known_hosts';
    const before = (() => {
      try {
        return readFileSync(home, 'utf8');
      } catch {
        return undefined;
      }
    })();
    const r = await sideBySide((o) =>
      [
        '- hosts: all',
        '  gather_facts: false',
        '  tasks:',
        `    - name: fresh`,
        `      known_hosts: { path: ${o}/fresh, name: h1, key: "h1 ${edA}" }`,
        '    - name: home',
        `      known_hosts: { name: quorum-test-h1.invalid, key: "quorum-test-h1.invalid ${edA}" }`,
        '      check_mode: true',
        '',
      ].join('\n'),
    );
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    expect(Object.fromEntries(steps(r.run).map((s) => [s.task, s.status]))).toEqual({
      fresh: 'changed',
      home: 'would_change',
    });
    expect(ansibleStatuses(r.oracle.stdout)).toEqual({ fresh: 'changed', home: 'changed' });
    // ~ is the user's home: the planned write names root's own file
    const planned = steps(r.run)
      .find((s) => s.task === 'home')
      ?.changes.map((c) => c.summary);
    expect(planned?.some((s) => s.includes(home))).toBe(true);
    for (const o of [r.out.quorum, r.out.ansible])
      expect(statSync(join(o, 'fresh')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(r.out.quorum, 'fresh'), 'utf8')).toBe(
      readFileSync(join(r.out.ansible, 'fresh'), 'utf8'),
    );
    // the user's own file, read and not written, by either
    const after = (() => {
      try {
        return readFileSync(home, 'utf8');
      } catch {
        return undefined;
      }
    })();
    expect(after).toBe(before);
  }, 60_000);
});
