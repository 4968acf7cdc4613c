/**
 * stat's registered fields that quorum reports, held to ansible-core 2.19 side by side: the
 * checksum is sha1 unless checksum_algorithm says otherwise (quorum registered a sha256 under
 * Ansible's default), `path` is the path asked for, links and folders as 2.19 tells them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bothSucceeded, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const FIELDS = [
  'exists',
  'path',
  'checksum',
  'isreg',
  'isdir',
  'islnk',
  'mode',
  'pw_name',
  'gr_name',
  'lnk_target',
];

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "${out}/f", content: "some text\\n", mode: "0640" }
    - file: { src: "${out}/f", dest: "${out}/l", state: link }
    - stat: { path: "${out}/f" }
      register: r0
    - stat: { path: "${out}/f", checksum_algorithm: sha256 }
      register: r1
    - stat: { path: "${out}/f", checksum_algorithm: md5 }
      register: r2
    - stat: { path: "${out}/f", get_checksum: false }
      register: r3
    - stat: { path: "${out}/l" }
      register: r4
    - stat: { path: "${out}" }
      register: r5
    - stat: { path: "${out}/none" }
      register: r6
${seenTask(out, 'seen', `[r0, r1, r2, r3, r4, r5, r6] | map(attribute='stat') | map('dict2items') | map('selectattr', 'key', 'in', [${FIELDS.map((f) => `'${f}'`).join(', ')}]) | map('items2dict')`)}
`;

describe('stat, as 2.19 registers it', () => {
  it('registers a sha1 checksum by default, the path, the kinds', async () => {
    const side = await sideBySide(play);
    bothSucceeded(side);
    const seen = (dir: string) => JSON.parse(readFileSync(join(dir, 'seen'), 'utf8').replaceAll(dir, 'OUT'));
    const mine = seen(side.out.quorum);
    expect(mine).toEqual(seen(side.out.ansible));
    expect(mine[0].checksum).toMatch(/^[0-9a-f]{40}$/);
    expect(mine[1].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(mine[3].checksum).toBeUndefined();
  }, 60_000);
});
