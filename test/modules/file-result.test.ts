/**
 * What file registers, held to ansible-core 2.19 side by side: add_path_info's uid, gid,
 * owner, group, mode, state and size of the path after the task (read only where the task
 * registers: one `stat` then, none for a task that does not), `dest` for touch, link and hard,
 * `path` for the other states. quorum registered path and state only, and `path` for touch.
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
    - name: made
      file: { path: "${out}/d", state: directory, mode: "0750" }
      register: r0
    - name: as it was
      file: { path: "${out}/d", state: directory, mode: "0750" }
      register: r1
    - name: touched
      file: { path: "${out}/t", state: touch, mode: "0600" }
      register: r2
    - name: its mode
      file: { path: "${out}/t", mode: "0640" }
      register: r3
    - name: linked
      file: { path: "${out}/l", src: "${out}/t", state: link }
      register: r4
    - name: hard linked
      file: { path: "${out}/h", src: "${out}/t", state: hard }
      register: r5
    - name: the file, now with two names
      file: { path: "${out}/t" }
      register: r6
    - name: removed
      file: { path: "${out}/h", state: absent }
      register: r7
    - name: not registered
      file: { path: "${out}/d", state: directory }
${resultsTask(`${out}/results.json`, 8, ['diff'])}
`;

describe('file results, as 2.19 registers them', () => {
  it('registers the path after the task', async () => {
    const side = await sideBySide(play);
    bothSucceeded(side);
    sameStatuses(side);
    const mine = sameResults(side.out);
    expect(mine[0]).toMatchObject({ path: 'DIR/d', state: 'directory', mode: '0750', uid: 0 });
    expect(mine[2]).toMatchObject({ dest: 'DIR/t', state: 'file', mode: '0600', size: 0 });
    // no state on a file of two names: 2.19 takes it for a hard link, and registers it so
    expect(mine[6]).toMatchObject({ dest: 'DIR/t', src: null, state: 'hard' });
    expect(mine[7]).not.toHaveProperty('uid');
  }, 60_000);

  it('a check run registers the path as it is (weareinteractive.environment: changed_when on the state of a touch)', async () => {
    const side = await sideBySide(
      (out) => `- hosts: all
  gather_facts: false
  tasks:
    - name: made
      file: { path: "${out}/t", state: touch }
    - name: touched again, in check mode
      file: { path: "${out}/t", state: touch, mode: "0600" }
      check_mode: true
      register: r0
      changed_when: r0.state != 'file'
${resultsTask(`${out}/results.json`, 1, ['diff'])}
`,
    );
    bothSucceeded(side);
    // the same statuses: changed_when reads a state known in the check run, as in 2.19
    sameStatuses(side);
    const mine = sameResults(side.out);
    expect(mine[0]).toMatchObject({ changed: false, state: 'file', mode: '0644', uid: 0 });
  }, 60_000);
});
