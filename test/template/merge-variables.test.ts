/** community.general's merge_variables lookup, held to the collection's plugin under ansible-core 2.19. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars:
    base: 10.0.0
    peers__a: [{ ip: "{{ base }}.1" }]
    peers__b: [{ ip: "{{ base }}.2" }]
    conf__x: { server: { port: 1, tls: [a] }, name: x }
    conf__y: { server: { tls: [b] }, extra: true }
    clash__1: { k: 1 }
    clash__2: { k: 2 }
  tasks:
    - name: merge
      set_fact:
        peers: "{{ lookup('community.general.merge_variables', '^peers__.+$', initial_value=[{'ip': 'seed'}]) }}"
        conf: "{{ lookup('community.general.merge_variables', 'conf__', pattern_type='prefix') }}"
        nothing: "{{ lookup('community.general.merge_variables', '^none_such') }}"
        across: "{{ lookup('community.general.merge_variables', '^own__', groups=['g']) }}"
        clash: "{{ lookup('community.general.merge_variables', '^clash__', override='ignore') }}"
    - name: refused clash
      set_fact:
        bad: "{{ lookup('community.general.merge_variables', '^clash__') }}"
      ignore_errors: true
      register: r0
    - name: results
      copy:
        dest: ${out}/{{ inventory_hostname }}.json
        content: "{{ {'peers': peers, 'conf': conf, 'nothing': nothing, 'across': across, 'clash': clash, 'failed': r0.failed} | to_json }}"
`;

describe("community.general's merge_variables lookup, as ansible-core 2.19 with the collection", () => {
  it('merges lists and dicts by name, from an initial value, across the hosts of groups', async () => {
    const side = await sideBySide(play, {
      'hosts.ini':
        '[g]\nh1 ansible_connection=local own__one="[1]"\nh2 ansible_connection=local own__two="[2, 3]"\n',
    });
    sameStatuses(side);
    for (const host of ['h1', 'h2']) {
      const read = (dir: string) => JSON.parse(readFileSync(join(dir, `${host}.json`), 'utf8'));
      expect(read(side.out.quorum)).toEqual(read(side.out.ansible));
    }
    expect(JSON.parse(readFileSync(join(side.out.quorum, 'h1.json'), 'utf8'))).toEqual({
      peers: [{ ip: 'seed' }, { ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
      conf: { server: { port: 1, tls: ['a', 'b'] }, name: 'x', extra: true },
      nothing: null,
      across: [1, 2, 3],
      clash: { k: 2 },
      failed: true,
    });
  });
});
