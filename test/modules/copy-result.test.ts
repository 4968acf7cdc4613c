/**
 * What copy and template register, held to ansible-core 2.19 side by side: dest, checksum,
 * diff and the file's uid, gid, owner, group, mode, state and size; md5sum after a write, path
 * when the file was left as it was or only its mode changed. quorum registered only changed.
 * Ansible's `src` (its temporary copy on the host) is the one key left out.
 */
import { describe, expect, it } from 'vitest';
import {
  bothSucceeded,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
} from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: written
      copy: { dest: "${out}/f", content: "x\\n", mode: "0640" }
      register: r0
    - name: left as it was
      copy: { dest: "${out}/f", content: "x\\n", mode: "0640" }
      register: r1
    - name: its mode changed
      copy: { dest: "${out}/f", content: "x\\n", mode: "0600" }
      register: r2
    - name: rendered
      template: { src: t.j2, dest: "${out}/t" }
      register: r3
    - name: rendered again
      template: { src: t.j2, dest: "${out}/t" }
      register: r4
    - name: a file into a folder
      copy: { src: t.j2, dest: "${out}/" }
      register: r5
${resultsTask(`${out}/results.json`, 6, ['src'])}
`;

describe('copy and template results, as 2.19 registers them', () => {
  it('registers the file after the task', async () => {
    const side = await sideBySide(play, { 't.j2': 'hi {{ inventory_hostname }}\n' });
    bothSucceeded(side);
    sameStatuses(side);
    const mine = sameResults(side.out);
    expect(mine[0]).toMatchObject({
      dest: 'DIR/f',
      mode: '0640',
      size: 2,
      state: 'file',
      md5sum: expect.any(String),
    });
    expect(mine[1]).toMatchObject({ path: 'DIR/f', changed: false });
    expect(mine[2]).toMatchObject({ path: 'DIR/f', mode: '0600', changed: true });
    expect(mine[5]).toMatchObject({ dest: 'DIR/t.j2' });
  }, 60_000);
});
