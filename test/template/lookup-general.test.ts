/**
 * community.general's filetree and random_string lookups held to the collection's plugins
 * (Debian 13's ansible 12.0.0 under ansible-core 2.19) side by side: the same tree of the
 * play's files/ (folders, files, a link; a path of the second tree met in the first skipped),
 * the same loop items, and random strings of the same shape; a filter-less failure alike.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const RANDOM = [
  "lookup('community.general.random_string')",
  "lookup('community.general.random_string', length=20, special=false, min_numeric=5)",
  "lookup('community.general.random_string', override_all='ab', length=4)",
  "lookup('community.general.random_string', base64=true, length=6)",
  "lookup('community.general.random_string', ignore_similar_chars=true, upper=false, special=false, numbers=false, length=30)",
];

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: tree
      copy: { dest: ${out}/tree.json, content: "{{ lookup('community.general.filetree', 'web/', 'extra/') | to_json }}" }
    - name: folders
      file: { path: "${out}/web/{{ item.path }}", state: directory, mode: "{{ item.mode }}" }
      with_community.general.filetree: web/
      when: item.state == 'directory'
    - name: files
      copy: { src: "{{ item.src }}", dest: "${out}/web/{{ item.path }}" }
      with_filetree: web
      when: item.state == 'file'
    - name: random
      copy: { dest: ${out}/random.json, content: "{{ [${RANDOM.join(', ')}] | to_json }}" }
    - name: set at run time
      set_fact: { none_on: false }
    - name: no characters
      debug: { msg: "{{ lookup('community.general.random_string', upper=none_on, lower=none_on, numbers=none_on, special=none_on) }}" }
      ignore_errors: true
      register: none_result
`;

describe("community.general's lookups, as the collection computes them (ansible-core 2.19)", () => {
  it('walks a tree as filetree does and makes random strings as random_string does', async () => {
    const sides = await sideBySide(
      (out) => {
        // play() is called once per side, before the files are written
        const web = join(out, '..', 'files', 'web');
        mkdirSync(web, { recursive: true });
        rmSync(join(web, 'link.conf'), { force: true });
        symlinkSync('a.conf', join(web, 'link.conf'));
        return play(out);
      },
      {
        'files/web/a.conf': 'a\n',
        'files/web/sub/b.conf': 'b\n',
        'files/web/sub/deeper/c.conf': 'c\n',
        'files/extra/a.conf': 'shadowed by web/a.conf\n',
        'files/extra/d.conf': 'd\n',
      },
    );
    expect(sameStatuses(sides)).toMatchObject({
      tree: 'changed',
      files: 'changed',
      'no characters': 'failed',
    });
    const read = (side: string, f: string) => JSON.parse(readFileSync(join(side, f), 'utf8'));
    const tree = read(sides.out.quorum, 'tree.json');
    expect(tree).toEqual(read(sides.out.ansible, 'tree.json'));
    expect(tree.map((e: { path: string }) => e.path).sort()).toEqual(
      ['a.conf', 'd.conf', 'link.conf', 'sub', 'sub/b.conf', 'sub/deeper', 'sub/deeper/c.conf'].sort(),
    );
    for (const f of ['a.conf', 'sub/b.conf', 'sub/deeper/c.conf'])
      expect(readFileSync(join(sides.out.quorum, 'web', f), 'utf8')).toBe(
        readFileSync(join(sides.out.ansible, 'web', f), 'utf8'),
      );
    // random strings: each side's satisfies what its options ask
    const shaped = (r: string[]) => [
      r[0].length === 8,
      r[1].length === 20 && /^[A-Za-z0-9]+$/.test(r[1]) && (r[1].match(/[0-9]/g) ?? []).length >= 5,
      /^[ab]{4}$/.test(r[2]),
      Buffer.from(r[3], 'base64').toString().length === 6,
      /^[a-hjkmnp-z]{30}$/.test(r[4]),
    ];
    const [mine, theirs] = [read(sides.out.quorum, 'random.json'), read(sides.out.ansible, 'random.json')];
    expect(shaped(theirs)).toEqual([true, true, true, true, true]);
    expect(shaped(mine)).toEqual(shaped(theirs));
  });
});
