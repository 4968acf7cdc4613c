/**
 * What find registers, held to ansible-core 2.19 side by side on one shared tree (both sides
 * read it, neither writes there): each match's statinfo (ids and names, inode, dev, nlink, times
 * as Python's floats, the permission flags), os.walk's order (a folder's files, then its
 * folders, each walked in turn), `examined` as the module counts it, `msg` and `skipped_paths`
 * (a path that is no folder: skipped with a warning, not failed). quorum registered path, size,
 * mode and names only, in find's order, and counted only the matches as examined.
 */
import { lutimesSync, mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bothSucceeded, resultsTask, sameResults, sideBySide } from '../helpers/side-by-side.ts';

// out is DIR/q or DIR/a: the tree is DIR/tree for both, and normpath makes their paths one
const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: recursive, every type
      find: { paths: "${out}/../tree", recurse: true, file_type: any, hidden: true }
      register: r0
    - name: files one level down, a pattern
      find: { paths: "${out}/../tree/", recurse: true, depth: 2, patterns: "*.txt" }
      register: r1
    - name: folders and links, not recursive
      find: { paths: ["${out}/../tree", "${out}/../tree/z"], file_type: any }
      register: r2
    - name: a path that is no folder, and one missing
      find: { paths: ["${out}/../tree/b.txt", "${out}/../none"] }
      register: r3
    - name: links
      find: { paths: "${out}/../tree", file_type: link, recurse: true }
      register: r4
    - name: the oldest first
      copy:
        dest: "${out}/oldest.json"
        content: "{{ r0.files | selectattr('isreg') | sort(attribute='mtime') | map(attribute='path') | map('basename') | to_json }}"
${resultsTask(`${out}/results.json`, 5, [])}
`;

/** The shared tree, each file its own age (the sort by mtime has an answer). */
function tree(dir: string) {
  const t = join(dir, 'tree');
  for (const d of ['z/deep/deeper', 'a', '.hidden']) mkdirSync(join(t, d), { recursive: true });
  const files: Array<[string, number]> = [
    ['b.txt', 300],
    ['z/c.txt', 200],
    ['z/deep/d.txt', 100],
    ['z/deep/deeper/e.txt', 50],
    ['a/f.log', 400],
    ['.hidden/g.txt', 10],
    ['.h.txt', 20],
  ];
  const now = Date.now() / 1000;
  for (const [name, age] of files) {
    writeFileSync(join(t, name), `${name}\n`);
    utimesSync(join(t, name), now + 3600, now - age);
  }
  symlinkSync('z', join(t, 'zlink'));
  symlinkSync('nowhere', join(t, 'broken'));
  // read by both sides: an access time ahead of the change time, so that relatime leaves it
  for (const d of ['', 'z', 'z/deep', 'z/deep/deeper', 'a', '.hidden'])
    utimesSync(join(t, d), now + 3600, now - 600);
  // a link is read when followed (os.walk asks is_dir(), find its target's type)
  for (const l of ['zlink', 'broken']) lutimesSync(join(t, l), now + 3600, now - 600);
}

describe('find results, as 2.19 registers them', () => {
  it('statinfo per match, os.walk order, examined, msg and skipped paths', async () => {
    const side = await sideBySide(play, {}, () => [], false, tree);
    bothSucceeded(side);
    const mine = sameResults(side.out);
    // os.walk order: the top's files before its folders' contents
    const paths = (mine[0].files as Array<{ path: string }>).map((f) =>
      f.path.slice(f.path.indexOf('/tree/') + 6),
    );
    expect(paths.indexOf('b.txt')).toBeLessThan(paths.indexOf('z/c.txt'));
    expect(mine[0]).toMatchObject({ msg: 'All paths examined', skipped_paths: {} });
    expect(mine[3]).toMatchObject({ msg: 'Not all paths examined, check warnings for details', matched: 0 });
    expect(Object.keys(mine[3].skipped_paths as object)).toHaveLength(2);
    const oldest = (out: string) => readFileSync(join(out, 'oldest.json'), 'utf8');
    expect(oldest(side.out.quorum)).toBe(oldest(side.out.ansible));
    expect(JSON.parse(oldest(side.out.quorum))[0]).toBe('f.log');
  }, 60_000);
});
