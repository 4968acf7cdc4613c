/**
 * import_playbook as ansible-core 2.19's PlaybookInclude reads it: its full name, its vars over
 * the imported plays' own (templates evaluated when used), its `when` on every task of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const INNER = `- hosts: all
  gather_facts: false
  vars:
    x: play
    y: "{{ z | default('none') }}"
  tasks:
    - name: write
      copy: { content: "{{ x }} {{ y }}\\n", dest: "{{ out }}/{{ n }}" }
`;

const outer = (out: string) => `- ansible.builtin.import_playbook: inner.yml
  vars: { out: "${out}", n: first, x: import, z: "{{ 1 + 1 }}" }
- import_playbook: inner.yml
  vars: { out: "${out}", n: never }
  when: false
- name: a named import with a condition that holds
  import_playbook: inner.yml
  vars: { out: "${out}", n: third }
  when: inventory_hostname == 'h1'
`;

describe('import_playbook, as ansible-core 2.19', () => {
  it('takes its full name, its vars over the play vars, and its when on each task', async () => {
    const side = await sideBySide(outer, { 'inner.yml': INNER });
    sameStatuses(side);
    const written = (dir: string) =>
      Object.fromEntries(
        readdirSync(dir)
          .sort()
          .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
      );
    expect(written(side.out.quorum)).toEqual(written(side.out.ansible));
    expect(written(side.out.quorum)).toEqual({ first: 'import 2\n', third: 'play none\n' });
  });
});
