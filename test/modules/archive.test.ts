/**
 * community.general.archive held to the collection's module (ansible 12.0.0 on ansible-core 2.19)
 * side by side: a folder, a glob, several sources with exclude_path, exclusion_patterns and a
 * missing one (incomplete), one file compressed and one put in a tar, mode, remove, and the
 * failures (no source found, several without dest). The same statuses and registered values, the
 * same members in each archive (name, type, mode, size; the links and the hard link kept), the
 * same compressed bytes once decompressed; then a second run changes nothing on either side and
 * quorum's check run plans nothing (the module's check mode calls every archive changed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runLocal, steps } from '../helpers/run-local.ts';
import { changedAgain, resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const TREE = [
  'mkdir -p src/sub/deep logs out toremove/inner',
  'printf a > src/a.txt; printf bb > src/sub/b.txt; printf c > src/sub/deep/c.log; printf h > src/.hidden',
  'ln -s a.txt src/link; ln src/a.txt src/hard; chmod 0640 src/sub/b.txt',
  'printf 1 > logs/1.log; printf 22 > logs/2.log; printf x > logs/x.txt; printf s > logs/.s.log',
  'printf single > single.txt; printf r > toremove/inner/r.txt',
].join('; ');

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: tree
      shell: "[ -e ${d}/src ] || { cd ${d} && ${TREE}; }"
      args: { creates: ${d}/src }
    - name: a folder
      community.general.archive: { path: ${d}/src, dest: ${d}/out/src.tgz }
      register: r0
    - name: a glob
      community.general.archive: { path: "${d}/logs/*.log", dest: ${d}/out/logs.tar.bz2, format: bz2 }
      register: r1
    - name: several
      community.general.archive:
        path: [${d}/src, ${d}/single.txt, ${d}/nope]
        exclude_path: [${d}/src/sub/deep]
        exclusion_patterns: ["*.log", "src/sub/b*"]
        dest: ${d}/out/multi.tar.xz
        format: xz
      register: r2
    - name: one file
      community.general.archive: { path: ${d}/single.txt }
      register: r3
    - name: one file in a tar
      community.general.archive: { path: ${d}/single.txt, format: tar, dest: ${d}/out/single.tar }
      register: r4
    - name: with a mode
      community.general.archive: { path: ${d}/logs, format: tar, dest: ${d}/out/logs.tar, mode: "0600" }
      register: r5
    - name: removed after
      community.general.archive: { path: ${d}/toremove, dest: ${d}/out/removed.tgz, remove: true }
      register: r6
    - name: nothing found
      community.general.archive: { path: "${d}/none*", dest: ${d}/out/none.tgz }
      register: r7
      ignore_errors: true
    - name: no dest
      community.general.archive: { path: [${d}/logs, ${d}/src] }
      register: r8
      ignore_errors: true
${resultsTask(`${d}/results.json`, 9, ['invocation', 'exception', 'gid', 'group', 'owner', 'uid', 'size', 'state', 'mode'])}
`;

/** Each member as `tar -tv` shows it, less its time and owner. */
const members = (file: string) =>
  execFileSync('tar', ['-tvf', file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.split(/ +/))
    .map(([perms, , size, , , ...name]) => [perms, size, name.join(' ').replace(/\/$/, '')].join(' '))
    .sort();

it('archives as the collection does, registers the same, and a second run changes nothing', async () => {
  const sides = await sideBySide(play);
  expect(sameStatuses(sides)).toMatchObject({
    'a folder': 'changed',
    several: 'changed',
    'one file': 'changed',
    'nothing found': 'failed',
    'no dest': 'failed',
  });
  const r = sameResults(sides.out);
  expect(r[0].archived).toEqual(expect.arrayContaining(['DIR/src/sub/deep/c.log', 'DIR/src/hard']));
  expect(r[2]).toMatchObject({ dest_state: 'incomplete', missing: ['DIR/nope'], arcroot: 'DIR/' });
  expect(r[3]).toMatchObject({ dest: 'DIR/single.txt.gz', dest_state: 'compress' });
  const { quorum: q, ansible: a } = sides.out;
  for (const f of ['src.tgz', 'logs.tar.bz2', 'multi.tar.xz', 'single.tar', 'logs.tar', 'removed.tgz'])
    expect(members(join(q, 'out', f)), f).toEqual(members(join(a, 'out', f)));
  expect(members(join(q, 'out', 'multi.tar.xz'))).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^hrw-r--r-- 0 src\/(a.txt|hard) link to src\/(hard|a.txt)$/),
    ]),
  );
  const unzipped = (d: string) =>
    execFileSync('gzip', ['-dc', join(d, 'single.txt.gz')], { encoding: 'utf8' });
  expect(unzipped(q)).toBe(unzipped(a));
  for (const d of [q, a]) expect(existsSync(join(d, 'toremove'))).toBe(false);
  expect(execFileSync('stat', ['-c', '%a', join(q, 'out', 'logs.tar')], { encoding: 'utf8' }).trim()).toBe(
    '600',
  );

  // converged: both engines change nothing
  expect(await changedAgain(sides.dir)).toEqual([]);
  // a source that changes makes the archives that hold it change, on both sides. Its mtime is kept:
  // the module compares each member's header checksum, a plain byte sum, so a new size and a new
  // mtime can cancel out (digits 2 -> 6 against an mtime carry) and it would see no change.
  const rewrite = (f: string) => `t=$(stat -c %Y ${f}) && printf longer > ${f} && touch -d @$t ${f}`;
  for (const d of [q, a]) execFileSync('sh', ['-c', rewrite(`${d}/logs/2.log`)]);
  expect(await changedAgain(sides.dir)).toEqual(['a glob', 'with a mode']);
  // the two failing tasks fail there too
  const check = await runLocal(sides.dir, { check: true });
  expect(
    steps(check)
      .filter((s) => s.status !== 'ok' && s.task !== 'results')
      .map((s) => [s.task, s.status]),
  ).toEqual([
    ['nothing found', 'failed'],
    ['no dest', 'failed'],
  ]);
}, 120_000);
