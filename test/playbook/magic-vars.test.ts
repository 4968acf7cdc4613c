/**
 * The `vars` magic variable read by a name known only when the task runs (`vars[item]`), as
 * ansible-core 2.19 gives it: each variable rendered on its own, one whose template is still
 * undefined (a register to come, a fact not gathered) undefined alone. grafana.grafana's
 * grafana_agent checks its settings with `when: vars[item] is not defined`; quorum refused the
 * whole `vars` when any one variable of the play did not render yet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bothSucceeded, sameResults, sideBySide } from '../helpers/side-by-side.ts';

const seen = (out: string, file: string, items: string) => `
    - name: what ${file} sees
      shell: echo "{{ item }} {{ vars[item] is defined }} {{ vars[item] | default('dflt') }}" >> ${out}/${file}
      loop: ${items}`;

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars:
    a: 1
    b: "{{ not_yet.stdout }}"
    c: "{{ a + 1 }}"
  tasks:${seen(out, 'before', '[a, b, c, zz]')}
    - name: settings set
      fail: { msg: "{{ item }} must be set" }
      when: vars[item] is not defined
      loop: [a, c]
    - name: register
      command: echo hi
      register: not_yet${seen(out, 'after', '[a, b, c]')}
`;

it('vars[name] renders that variable alone, undefined while its template is', async () => {
  const { out, run, oracle } = await sideBySide(play);
  bothSucceeded({ run, oracle });
  const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
  for (const f of ['before', 'after']) expect(read(out.quorum, f), f).toBe(read(out.ansible, f));
  expect(read(out.quorum, 'before')).toBe('a True 1\nb False dflt\nc True 2\nzz False dflt\n');
  expect(read(out.quorum, 'after')).toBe('a True 1\nb True hi\nc True 2\n');
}, 60_000);

// debops' secret role: `secret: "{{ inventory_dir | realpath }}/../secret"`; quorum had neither
it('inventory_file and inventory_dir: the file the host was first read from and its folder, as 2.19 sets them', async () => {
  const facts = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
    - copy:
        dest: ${d}/results.json
        content: >-
          {{ [inventory_file == playbook_dir ~ '/hosts.ini', inventory_dir == playbook_dir,
              inventory_file | basename, hostvars[inventory_hostname].inventory_dir == inventory_dir] | to_json }}
`;
  const sides = await sideBySide(facts);
  bothSucceeded(sides);
  expect(sameResults(sides.out)).toEqual([true, true, 'hosts.ini', true]);
}, 60_000);
