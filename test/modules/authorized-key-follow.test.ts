/**
 * authorized_key's `follow` (debops' users role), held to ansible.posix's module under
 * ansible-core 2.19 on this machine, in each side's own folder: a keys file that is a link is
 * written through with follow (the link stays), replaced by a file without it; the second run
 * changes nothing.
 */
import { lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBsYv0bIKKZyJ6Q5+2yD6bPjNp2tO3r8o6lqR3Aut0EM test@quorum';

it('writes through a linked keys file with follow, replaces the link without it, as ansible.posix 2.19', async () => {
  const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: followed
      authorized_key: { user: root, key: "${KEY}", path: "${out}/ssh/followed", follow: true }
    - name: followed again
      authorized_key: { user: root, key: "${KEY}", path: "${out}/ssh/followed", follow: true }
    - name: replaced
      authorized_key: { user: root, key: "${KEY}", path: "${out}/ssh/replaced" }
`;
  const prepare = (dir: string) => {
    for (const side of ['q', 'a']) {
      mkdirSync(join(dir, side, 'ssh'), { recursive: true });
      for (const name of ['followed', 'replaced'])
        symlinkSync(`../real-${name}`, join(dir, side, 'ssh', name));
    }
  };
  const side = await sideBySide(play, {}, undefined, false, prepare);
  expect(sameStatuses(side)).toEqual({ followed: 'changed', 'followed again': 'ok', replaced: 'changed' });
  for (const out of Object.values(side.out)) {
    expect(lstatSync(join(out, 'ssh/followed')).isSymbolicLink(), out).toBe(true);
    expect(readFileSync(join(out, 'real-followed'), 'utf8')).toBe(`${KEY}\n`);
    expect(lstatSync(join(out, 'ssh/replaced')).isSymbolicLink(), out).toBe(false);
    expect(readFileSync(join(out, 'ssh/replaced'), 'utf8')).toBe(`${KEY}\n`);
  }
}, 60_000);
