/**
 * A loop's items share their variables as in ansible-core 2.19: a set_fact or include_vars of
 * one item is seen by the next (the idiom `acc: "{{ acc | default([]) + [item] }}"`; quorum gave
 * every item the variables from before the loop, so only the last item was kept: devsec's
 * os_hardening then changed the shell of one system account instead of all), `when` is asked on
 * them, and `register` holds the previous item's result. Side by side with ansible-playbook.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameStatuses, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars:
    pre: [x]
  tasks:
    - name: accumulate
      set_fact:
        pre: "{{ pre + [item] }}"
        seen: "{{ seen | default('') ~ item }}"
      loop: [a, b]
    - name: count while below two
      set_fact:
        cnt: "{{ (cnt | default(0) | int) + 1 }}"
      loop: [1, 2, 3]
      when: (cnt | default(0) | int) < 2
    - name: echo the previous item's result
      set_fact:
        said: "{{ item }} {{ r.ansible_facts.said | default('none') }}"
      register: r
      loop: [1, 2, 3]
    - name: vars files
      include_vars: "vv/{{ item }}.yml"
      loop: [a, b]
${seenTask(out, 'seen.json', "[pre, seen, cnt, said, v2, r.results | map(attribute='ansible_facts.said') | list]")}
`;

describe('loop items share their variables, as ansible-core 2.19', () => {
  it('each item sees what the items before it set and registered', async () => {
    const side = await sideBySide(play, {
      'vv/a.yml': 'v1: one\n',
      'vv/b.yml': 'v2: "{{ v1 | default(\'none\') }}-two"\n',
    });
    sameStatuses(side);
    const seen = (out: string) => JSON.parse(readFileSync(join(out, 'seen.json'), 'utf8'));
    expect(seen(side.out.quorum)).toEqual(seen(side.out.ansible));
    expect(seen(side.out.quorum)).toEqual([
      ['x', 'a', 'b'],
      'ab',
      2,
      '3 2 1 none',
      'one-two',
      ['1 none', '2 1 none', '3 2 1 none'],
    ]);
  });
});
