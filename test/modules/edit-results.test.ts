/**
 * What lineinfile registers, held to ansible-core 2.19 side by side: `msg` as the module words
 * it ('line added', 'line replaced', 'N line(s) removed', 'file not present', and its suffix
 * where the file's mode changes too), `found` for absent, `backup` empty. quorum registered
 * `changed` only: a role reading `r.msg` failed as undefined.
 */
import { describe, expect, it } from 'vitest';
import {
  bothSucceeded,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
} from '../helpers/side-by-side.ts';

const play = (out: string) => {
  const f = `${out}/conf`;
  const tasks: Array<[string, string]> = [
    ['made with a line', `path: "${f}", line: "a=1", create: true`],
    ['the same line', `path: "${f}", line: "a=1"`],
    ['replaced', `path: "${f}", regexp: "^a=", line: "a=2"`],
    ['after a pattern', `path: "${f}", insertafter: "^a=", line: "b=1"`],
    ['at the start', `path: "${f}", insertbefore: BOF, line: "# head"`],
    ['only its mode', `path: "${f}", line: "b=1", mode: "0600"`],
    ['a line and a mode', `path: "${f}", line: "c=1", mode: "0640"`],
    ['two removed', `path: "${f}", regexp: "^[bc]=", state: absent`],
    ['none removed', `path: "${f}", regexp: "^z=", state: absent`],
    ['no such file', `path: "${out}/nothing", line: "x", state: absent`],
    ['a new file with a mode', `path: "${out}/other", line: "x", create: true, mode: "0600"`],
  ];
  return `- hosts: all
  gather_facts: false
  tasks:
${tasks.map(([name, args], i) => `    - name: ${name}\n      lineinfile: { ${args} }\n      register: r${i}`).join('\n')}
${resultsTask(`${out}/results.json`, tasks.length, ['diff'])}
`;
};

describe('lineinfile results, as 2.19 registers them', () => {
  it('says what it did in the module words', async () => {
    const side = await sideBySide(play);
    bothSucceeded(side);
    sameStatuses(side);
    const mine = sameResults(side.out);
    expect(mine.map((r) => r.msg)).toEqual([
      'line added',
      '',
      'line replaced',
      'line added',
      'line added',
      'ownership, perms or SE linux context changed',
      'line added and ownership, perms or SE linux context changed',
      '2 line(s) removed',
      '',
      'file not present',
      'line added and ownership, perms or SE linux context changed',
    ]);
    expect(mine[7]).toMatchObject({ found: 2, backup: '' });
  }, 60_000);
});
