/**
 * Symbolic modes as 2.19's file module evaluates them (`_symbolic_mode_to_octal`), side by side:
 * setuid/setgid/sticky (`a-s`: devsec.hardening strips them from blacklisted binaries, and
 * quorum, which ignored `s` and `t`, saw nothing to change), several operators in one clause,
 * copies of another class's permissions, and no users (the host's umask leaves its bits alone).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedAgain, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

/** [name, starting mode, a directory?, mode given to the file task]. */
const cases: ReadonlyArray<readonly [string, string, boolean, string]> = [
  ['suid-off', '4755', false, 'a-s'],
  ['sgid-dir-off', '2775', true, 'u-s,g-s'],
  ['sgid-on', '0755', false, 'g+s'],
  ['sticky-on', '0777', true, 'o+t'],
  ['sticky-a', '0777', true, 'a+t'],
  ['plus-x', '0644', false, '+x'],
  ['plus-w', '0444', false, '+w'],
  ['equals-r', '0777', false, '=r'],
  ['chain', '0764', false, 'u=rw-x+X,g=r-x+X,o=r-x+X'],
  ['chain-dir', '0700', true, 'u=rwx,g=rX,o='],
  ['copy-u', '0740', false, 'g=u'],
  ['copy-g-minus', '0775', false, 'o=g-w'],
  ['keep', '0755', false, 'u+rwx,go+rx'],
  // octal, for chmod's sake: GNU chmod keeps a folder's setgid under a plain 0755, os.chmod clears it
  ['sgid-dir-octal', '2775', true, '0755'],
];

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: paths
      shell: |
${cases.map(([name, start, dir]) => `        ${dir ? 'mkdir' : 'touch'} ${out}/${name} && chmod ${start} ${out}/${name}`).join('\n')}
      args: { creates: ${out}/${cases[0][0]} }
${cases
  .map(
    ([name, , , mode]) => `    - name: ${name}
      file: { path: ${out}/${name}, mode: "${mode}" }`,
  )
  .join('\n')}
`;

describe('file with a symbolic mode, as ansible-core 2.19', () => {
  it('gives every path the mode Ansible gives it, and changes nothing the second time', async () => {
    const side = await sideBySide(play);
    const statuses = sameStatuses(side);
    expect(statuses).toMatchObject({ 'suid-off': 'changed', 'sgid-on': 'changed', keep: 'ok' });
    const modes = (out: string) =>
      Object.fromEntries(
        cases.map(([name]) => [name, (statSync(join(out, name)).mode & 0o7777).toString(8)]),
      );
    expect(modes(side.out.quorum)).toEqual(modes(side.out.ansible));
    expect(modes(side.out.quorum)).toMatchObject({
      'suid-off': '755',
      'sticky-on': '1777',
      'copy-u': '770',
      'sgid-dir-octal': '755',
    });
    expect(await changedAgain(side.dir)).toEqual([]);
  });
});
