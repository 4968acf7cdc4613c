/**
 * community.general.kernel_blacklist held to the collection's module (ansible 12.0.0 on
 * ansible-core 2.19) side by side: a module added to a file with blanks and comments, listed
 * already, a commented line that does not count, removed, a missing file made (empty when state
 * is absent). The same statuses, registered values and files; a second run changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { changedAgain, resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - name: start
      copy: { dest: ${d}/bl.conf, content: "# comment\\nblacklist  floppy  \\n#blacklist pcspkr\\r\\nblacklist nouveau\\n", force: false }
    - name: add
      community.general.kernel_blacklist: { name: usb_storage, blacklist_file: ${d}/bl.conf }
      register: r0
    - name: already
      community.general.kernel_blacklist: { name: floppy, blacklist_file: ${d}/bl.conf }
      register: r1
    - name: commented
      community.general.kernel_blacklist: { name: pcspkr, blacklist_file: ${d}/bl.conf }
      register: r2
    - name: remove
      community.general.kernel_blacklist: { name: nouveau, state: absent, blacklist_file: ${d}/bl.conf }
      register: r3
    - name: remove absent
      community.general.kernel_blacklist: { name: nouveau, state: absent, blacklist_file: ${d}/bl.conf }
      register: r4
    - name: new file
      community.general.kernel_blacklist: { name: a.b, blacklist_file: ${d}/new.conf }
      register: r5
    - name: empty file
      community.general.kernel_blacklist: { name: x, state: absent, blacklist_file: ${d}/empty.conf }
      register: r6
${resultsTask(`${d}/results.json`, 7, ['diff'])}
`;

it('blacklists as the collection does, and a second run changes nothing', async () => {
  const sides = await sideBySide(play);
  expect(sameStatuses(sides)).toMatchObject({
    add: 'changed',
    already: 'ok',
    commented: 'changed',
    remove: 'changed',
    'remove absent': 'ok',
    'new file': 'changed',
    'empty file': 'changed',
  });
  const r = sameResults(sides.out);
  expect(r[0]).toMatchObject({ is_blacklisted: true, filename: 'DIR/bl.conf' });
  for (const f of ['bl.conf', 'new.conf', 'empty.conf'])
    expect(readFileSync(join(sides.out.quorum, f), 'utf8')).toBe(
      readFileSync(join(sides.out.ansible, f), 'utf8'),
    );
  expect(readFileSync(join(sides.out.quorum, 'bl.conf'), 'utf8')).toBe(
    '# comment\nblacklist  floppy\n#blacklist pcspkr\nblacklist usb_storage\nblacklist pcspkr\n',
  );
  expect(await changedAgain(sides.dir)).toEqual([]);
});
