/**
 * unarchive held to ansible-core 2.19's action plugin and module side by side: archives on the
 * controller and on the host (gzip, bzip2, xz, none, one misnamed: the handler comes from the
 * content), list_files, mode on every member, exclude, creates (skipped), and the failures (dest
 * not a folder, an empty archive, a missing source). The same statuses, registered values and
 * unpacked trees; a second run changes nothing on either side, a member changed in dest is
 * unpacked again on both, and quorum's check run of the converged play plans nothing.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps, workspace } from '../helpers/run-local.ts';
import { changedAgain, resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';
import { bothOverSsh, loopbackHost } from '../helpers/ssh-side-by-side.ts';
import { canRunSshd } from '../helpers/sshd.ts';

const BUILD = [
  'mkdir -p build/app/bin build/app/lib dest1 dest2 dest3 dest4 dest5',
  "printf '#!/bin/sh\\necho tool\\n' > build/app/bin/tool; chmod 755 build/app/bin/tool",
  'printf readme > build/app/README; printf so > build/app/lib/x.so; ln -s ../README build/app/lib/readme.link',
  'tar czf app.tar.gz -C build app; tar cjf app.tar.bz2 -C build app; tar cJf app.tar.xz -C build app',
  'tar cf app.tar -C build app; cp app.tar.gz app.bin; : > empty.tgz',
].join('; ');

/** The controller's archives (both sides read them, neither changes them), made before the run. */
const shared = workspace();
execFileSync('sh', ['-c', BUILD], { cwd: shared });

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: build
      shell: "cd ${d} && ${BUILD}"
      args: { creates: ${d}/build }
    - name: from the controller
      unarchive: { src: ${shared}/app.tar.gz, dest: ${d}/dest1, list_files: true }
      register: r0
    - name: on the host
      unarchive: { src: ${d}/app.tar.bz2, dest: ${d}/dest2, remote_src: true }
      register: r1
    - name: with a mode
      unarchive: { src: ${shared}/app.tar.xz, dest: ${d}/dest3, mode: "0750" }
      register: r2
    - name: excluding
      unarchive: { src: ${d}/app.tar, dest: ${d}/dest4, remote_src: true, exclude: [app/lib/], list_files: true }
      register: r3
    - name: misnamed
      unarchive: { src: ${d}/app.bin, dest: ${d}/dest5, remote_src: true }
      register: r4
    - name: created before
      unarchive: { src: ${shared}/app.tar.gz, dest: ${d}/dest1, creates: ${d}/dest1/app/README }
      register: r5
    - name: no such dest
      unarchive: { src: ${shared}/app.tar.gz, dest: ${d}/nowhere }
      register: r6
      ignore_errors: true
    - name: empty
      unarchive: { src: ${d}/empty.tgz, dest: ${d}/dest5, remote_src: true }
      register: r7
      ignore_errors: true
    - name: missing
      unarchive: { src: ${d}/none.tgz, dest: ${d}/dest5, remote_src: true }
      register: r8
      ignore_errors: true
${resultsTask(`${d}/results.json`, 9, ['invocation', 'src', 'extract_results', 'gid', 'group', 'mode', 'owner', 'size', 'state', 'uid', 'exception'])}
`;

/** A tree as `find` lists it: path, type, mode, size, link (no times). */
const tree = (dir: string) =>
  execFileSync('find', ['.', '-printf', '%p %y %m %s %l\\n'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .sort();

it('unpacks as 2.19 does, registers the same, and is idempotent', async () => {
  const sides = await sideBySide(play);
  expect(sameStatuses(sides)).toMatchObject({
    'from the controller': 'changed',
    'with a mode': 'changed',
    misnamed: 'changed',
    'created before': 'skipped',
    'no such dest': 'failed',
    empty: 'failed',
  });
  const r = sameResults(sides.out);
  expect(r[0]).toMatchObject({ handler: 'TgzArchive', files: expect.arrayContaining(['app/bin/tool']) });
  expect(r[4]).toMatchObject({ handler: 'TgzArchive' });
  const { quorum: q, ansible: a } = sides.out;
  for (const dest of ['dest1', 'dest2', 'dest3', 'dest4', 'dest5'])
    expect(tree(join(q, dest)), dest).toEqual(tree(join(a, dest)));
  expect(tree(join(q, 'dest3'))).toContain('./app/README f 750 6 ');

  expect(await changedAgain(sides.dir)).toEqual([]);
  // a member changed in dest (content and time): unpacked again on both sides
  for (const d of [q, a]) execFileSync('sh', ['-c', `printf changed > ${d}/dest1/app/README`]);
  expect(await changedAgain(sides.dir)).toEqual(['from the controller']);
  const check = await runLocal(sides.dir, { check: true });
  expect(
    steps(check)
      .filter((s) => s.status !== 'ok' && s.status !== 'skipped' && s.task !== 'results')
      .map((s) => [s.task, s.status]),
  ).toEqual([
    ['no such dest', 'failed'],
    ['empty', 'failed'],
    ['missing', 'failed'],
  ]);
}, 120_000);

describe.skipIf(!canRunSshd)('unarchive over SSH, as ansible-core 2.19', () => {
  const dir = workspace();
  const host = loopbackHost(dir, 'unarchive');

  it("sends the controller's archive through the host's shell and unpacks the same tree, once", async () => {
    const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - file: { path: ${d}/dest, state: directory }
    - name: unpack
      unarchive: { src: ${shared}/app.tar.xz, dest: ${d}/dest, mode: "0750" }
    - name: again
      unarchive: { src: ${shared}/app.tar.xz, dest: ${d}/dest, mode: "0750" }
`;
    const r = await bothOverSsh(dir, host.inventory(), play);
    expect(r.statuses).toEqual(r.ansible);
    expect(r.statuses).toMatchObject({ unpack: 'changed', again: 'ok' });
    expect(tree(join(r.q, 'dest'))).toEqual(tree(join(r.a, 'dest')));
  }, 120_000);
});
