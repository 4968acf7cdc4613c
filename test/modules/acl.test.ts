/**
 * ansible.posix.acl held to the collection's module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19) on this machine's setfacl/getfacl: a file and a folder per side, the same
 * tasks through ansible-playbook and quorum: the same status task by task, the same registered
 * `msg` and `acl`, the same ACLs left (getfacl of each path); then a check run of the tasks whose
 * end state the play keeps plans nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPlansNothing,
  resultsTask,
  sameStatuses,
  sideBySide,
  tableTasks,
  writtenResults,
} from '../helpers/side-by-side.ts';

const canRun = existsSync('/usr/bin/setfacl');

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['query', `path: ${d}/f`],
  ['a user may read', `path: ${d}/f, etype: user, entity: nobody, permissions: rx, state: present`],
  ['the same again', `path: ${d}/f, etype: user, entity: nobody, permissions: rx, state: present`],
  ['an entry for a group', `path: ${d}/f, entry: "group:daemon:rw", state: present`],
  ['a default entry on a folder', `path: ${d}/d, entry: "d:user:nobody:rwx", state: present`],
  [
    'that default again',
    `path: ${d}/d, entity: nobody, etype: user, permissions: rwx, default: true, state: present`,
  ],
  ['recursive', `path: ${d}/d, etype: user, entity: daemon, permissions: r, recursive: true, state: present`],
  [
    'without a new mask',
    `path: ${d}/f, etype: user, entity: bin, permissions: rw, recalculate_mask: no_mask, state: present`,
  ],
  ['a user removed', `path: ${d}/f, etype: user, entity: nobody, state: absent`],
  ['removed again', `path: ${d}/f, etype: user, entity: nobody, state: absent`],
  ['by name', `name: ${d}/f`],
  ['a path not there', `path: ${d}/none, etype: user, entity: nobody, permissions: r, state: present`, true],
  ['query with recursive', `path: ${d}/f, recursive: true`, true],
  ['entry with etype', `path: ${d}/f, entry: "user:bin:r", etype: user, state: present`, true],
  [
    'a user that does not exist',
    `path: ${d}/f, etype: user, entity: no-such-user-q, permissions: r, state: present`,
    true,
  ],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('ansible.posix.acl', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation', 'cmd', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines'])}
`;

const aclsOf = (d: string) =>
  execFileSync('getfacl', ['--absolute-names', '-R', d], { encoding: 'utf8' })
    .replaceAll(d, 'DIR')
    .split('\n\n')
    .filter((b) => !b.includes('results.json') && !b.includes('play.yml'))
    .join('\n\n');

describe.skipIf(!canRun)('acl, as ansible.posix (ansible-core 2.19)', () => {
  it('sets and removes what the module does, and registers the ACL it reads', async () => {
    const { dir, out, run, oracle } = await sideBySide((d) => {
      writeFileSync(join(d, 'f'), 'x\n', { mode: 0o640 });
      mkdirSync(join(d, 'd', 'sub'), { recursive: true });
      writeFileSync(join(d, 'd', 'sub', 'g'), 'y\n');
      return play(d);
    });
    const mine = sameStatuses({ run, oracle });
    expect(mine).toMatchObject({
      query: 'ok',
      'a user may read': 'changed',
      'the same again': 'ok',
      'that default again': 'ok',
      'a user removed': 'changed',
      'removed again': 'ok',
      'a path not there': 'failed',
      'a user that does not exist': 'failed',
    });
    const results = (d: string) => writtenResults(join(d, 'results.json'), d);
    expect(results(out.quorum)).toEqual(results(out.ansible));
    expect(results(out.quorum)[1]).toMatchObject({ msg: 'user:nobody:rx is present', changed: true });
    expect(aclsOf(out.quorum)).toBe(aclsOf(out.ansible));

    // the tasks whose end state the play keeps: a check run plans nothing
    const kept = TASKS(out.quorum).filter(
      ([n, , fails]) => !fails && !['a user may read', 'the same again'].includes(n),
    );
    await checkPlansNothing(dir, play(out.quorum, kept));
  }, 120_000);
});
