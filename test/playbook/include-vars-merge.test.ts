/**
 * include_vars `hash_behaviour: merge`, held to ansible-core 2.19 side by side: each variable of
 * the file merged into the one of that name the task sees (dicts recursively, lists and other
 * values replaced), with `name` too; `replace` (the default) overwrites. quorum refused merge.
 */
import { expect, it } from 'vitest';
import { sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

it('merges the file into the variables of the same names, recursively', async () => {
  const play = (d: string) => `
- hosts: all
  gather_facts: false
  vars:
    conf: { a: 1, nested: { x: 1, y: 2 }, list: [1], text: old }
    bundle: { keep: 1, conf: { a: 0 } }
  tasks:
    - include_vars: { file: more.yml, hash_behaviour: merge }
    - set_fact: { r0: "{{ conf }}", r1: "{{ fresh }}" }
    - include_vars: { file: more.yml, name: bundle, hash_behaviour: merge }
    - set_fact: { r2: "{{ bundle }}" }
    - include_vars: { file: more.yml, hash_behaviour: replace }
    - set_fact: { r3: "{{ conf }}" }
    - copy: { dest: ${d}/results.json, content: "{{ [r0, r1, r2, r3] | to_json }}" }
`;
  const sides = await sideBySide(play, {
    'more.yml': 'conf: { b: 2, nested: { y: 3, z: 4 }, list: [2], text: new }\nfresh: 1\n',
  });
  sameStatuses(sides);
  const [merged, fresh, named, replaced] = sameResults(sides.out);
  expect(merged).toEqual({ a: 1, b: 2, nested: { x: 1, y: 3, z: 4 }, list: [2], text: 'new' });
  expect(fresh).toBe(1);
  expect(named).toEqual({
    keep: 1,
    conf: { a: 0, b: 2, nested: { y: 3, z: 4 }, list: [2], text: 'new' },
    fresh: 1,
  });
  expect(replaced).toEqual({ b: 2, nested: { y: 3, z: 4 }, list: [2], text: 'new' });
});
