/** file state=hard, held to ansible-core 2.19's file module side by side (local connection). */
import { lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedAgain, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: sources
      copy: { content: "x\\n", dest: "${out}/{{ item }}", force: false }
      loop: [src, other, plain]
    - name: a symlink to replace
      file: { src: ${out}/other, dest: ${out}/was-link, state: link }
    - name: new hard link
      file: { src: ${out}/src, dest: ${out}/h1, state: hard, mode: "0640" }
    - name: the same again
      file: { src: ${out}/src, dest: ${out}/h1, state: hard }
    - name: over a plain file without force
      file: { src: ${out}/src, dest: ${out}/plain, state: hard }
      ignore_errors: true
    - name: over another hard link without force
      file: { src: ${out}/other, dest: ${out}/h1, state: hard }
      ignore_errors: true
    - name: over a symlink
      file: { src: ${out}/src, dest: ${out}/was-link, state: hard }
    - name: src missing
      file: { src: ${out}/nothing, dest: ${out}/h2, state: hard }
      ignore_errors: true
`;

describe('file state=hard, as ansible-core 2.19', () => {
  it('links, replaces only what Ansible replaces, and changes nothing the second time', async () => {
    const side = await sideBySide(play);
    expect(sameStatuses(side)).toMatchObject({
      'new hard link': 'changed',
      'the same again': 'ok',
      'over a plain file without force': 'failed',
      'over another hard link without force': 'failed',
      'over a symlink': 'changed',
      'src missing': 'failed',
    });
    for (const out of [side.out.quorum, side.out.ansible]) {
      expect(statSync(join(out, 'h1')).ino).toBe(statSync(join(out, 'src')).ino);
      expect(lstatSync(join(out, 'was-link')).isSymbolicLink()).toBe(false);
      expect(statSync(join(out, 'h1')).mode & 0o777).toBe(0o640);
    }
    expect(await changedAgain(side.dir)).toEqual([]);
  });
});
