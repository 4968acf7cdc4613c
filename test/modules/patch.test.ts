/**
 * ansible.posix.patch held to the collection's own module and action plugin (Debian 13's ansible
 * 12.0.0 under ansible-core 2.19) side by side: a patch of the play's files/ applied by basedir
 * and strip, kept, reverted; one applied to a named file, with a numbered backup, with
 * whitespace ignored; a patch on the host (remote_src); one that does not apply, and the
 * module's refusals. The same statuses, registered fields and files; a check run plans nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPlansNothing,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

const ORIGINAL = 'listen 80\nworkers 2\nlog off\n';
const TREE_PATCH =
  '--- a/conf/app.conf\n+++ b/conf/app.conf\n@@ -1,3 +1,3 @@\n listen 80\n-workers 2\n+workers 8\n log off\n';
const FILE_PATCH = '--- app.conf\n+++ app.conf\n@@ -1,3 +1,3 @@\n listen 80\n workers 2\n-log off\n+log on\n';

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['applied in a tree', `src: tree.patch, basedir: ${d}/tree, strip: 1`],
  ['applied already', `src: tree.patch, basedir: ${d}/tree, strip: 1`],
  ['reverted', `src: tree.patch, basedir: ${d}/tree, strip: 1, state: absent`],
  ['reverted already', `src: tree.patch, basedir: ${d}/tree, strip: 1, state: absent`],
  ['applied to a file, with a backup', `src: file.patch, originalfile: ${d}/one.conf, backup: true`],
  ['patchfile, which the action plugin does not read', `patchfile: file.patch, dest: ${d}/two.conf`, true],
  ['whitespace ignored', `src: file.patch, dest: ${d}/spaced.conf, ignore_whitespace: true`],
  ['a patch on the host', `src: ${d}/host.patch, dest: ${d}/two.conf, remote_src: true`],
  ['a patch that does not apply', `src: file.patch, dest: ${d}/other.conf`, true],
  ['no patch on the host', `src: ${d}/none.patch, dest: ${d}/two.conf, remote_src: true`, true],
  ['no file to patch', `src: file.patch, dest: ${d}/none.conf`, true],
  ['no such basedir', `src: tree.patch, basedir: ${d}/none`, true],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('ansible.posix.patch', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation'])}
`;

function setUp(d: string): string {
  mkdirSync(join(d, 'tree', 'conf'), { recursive: true });
  writeFileSync(join(d, 'tree', 'conf', 'app.conf'), ORIGINAL);
  for (const f of ['one', 'two']) writeFileSync(join(d, `${f}.conf`), ORIGINAL);
  writeFileSync(join(d, 'spaced.conf'), 'listen 80\nworkers  2\nlog   off\n');
  writeFileSync(join(d, 'other.conf'), 'nothing alike\n');
  writeFileSync(join(d, 'host.patch'), FILE_PATCH);
  return play(d);
}

describe('ansible.posix.patch, as the collection (ansible-core 2.19)', () => {
  it('applies, keeps and reverts patches as the module does', async () => {
    const sides = await sideBySide(setUp, { 'files/tree.patch': TREE_PATCH, 'files/file.patch': FILE_PATCH });
    const { dir, out } = sides;
    expect(sameStatuses(sides)).toMatchObject({
      'applied in a tree': 'changed',
      'applied already': 'ok',
      reverted: 'changed',
      'reverted already': 'ok',
      'whitespace ignored': 'changed',
      'a patch that does not apply': 'failed',
    });
    const results = sameResults(out);
    expect(results[5].msg).toBe('src is required');
    expect(results[9].msg).toBe("src DIR/none.patch doesn't exist or not readable");
    for (const f of [
      'tree/conf/app.conf',
      'one.conf',
      'one.conf.~1~',
      'spaced.conf',
      'two.conf',
      'other.conf',
    ])
      expect(readFileSync(join(out.quorum, f), 'utf8'), f).toBe(readFileSync(join(out.ansible, f), 'utf8'));
    expect(readFileSync(join(out.quorum, 'one.conf'), 'utf8')).toBe('listen 80\nworkers 2\nlog on\n');
    expect(existsSync(join(out.quorum, 'tree', 'conf', 'app.conf.rej'))).toBe(false);
    // the tree's patch was reverted last
    const kept = [
      'reverted already',
      'applied to a file, with a backup',
      'whitespace ignored',
      'a patch on the host',
    ];
    await checkPlansNothing(
      dir,
      play(
        out.quorum,
        TASKS(out.quorum).filter(([n]) => kept.includes(n)),
      ),
    );
  }, 120_000);
});
