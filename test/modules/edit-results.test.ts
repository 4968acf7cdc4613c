/**
 * What lineinfile and blockinfile register, held to ansible-core 2.19 side by side: `msg` as the
 * modules word it (lineinfile: 'line added', 'line replaced', 'N line(s) removed', 'file not
 * present'; blockinfile: 'File created', 'Block inserted', 'Block removed', 'File X not present';
 * and their suffix where the file's mode changes too), lineinfile's `found` and `backup`. quorum
 * registered `changed` only: a role reading `r.msg` failed as undefined.
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

const blocks = (out: string) => {
  const f = `${out}/block`;
  const tasks: Array<[string, string]> = [
    ['a file made with a block', `path: "${f}", block: "x=1", create: true`],
    ['the same block', `path: "${f}", block: "x=1"`],
    ['another block', `path: "${f}", block: "x=2", mode: "0600"`],
    ['only its mode', `path: "${f}", block: "x=2", mode: "0640"`],
    ['removed', `path: "${f}", state: absent`],
    ['an empty block removes', `path: "${f}", block: ""`],
    ['no such file', `path: "${out}/nothing", state: absent, create: true`],
    ['no such file, nothing made', `path: "${out}/nothing", state: absent`],
  ];
  return `- hosts: all
  gather_facts: false
  tasks:
${tasks.map(([name, args], i) => `    - name: ${name}\n      blockinfile: { ${args} }\n      register: r${i}\n      ignore_errors: true`).join('\n')}
${resultsTask(`${out}/results.json`, tasks.length, ['diff', 'exception'])}
`;
};

describe('lineinfile and blockinfile results, as 2.19 registers them', () => {
  it('lineinfile says what it did in the module words', async () => {
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

  it('blockinfile says what it did in the module words', async () => {
    const side = await sideBySide(blocks);
    expect(sameStatuses(side)['no such file, nothing made']).toBe('failed');
    const mine = sameResults(side.out);
    expect(mine.map((r) => r.msg)).toEqual([
      'File created',
      '',
      'Block inserted and ownership, perms or SE linux context changed',
      'ownership, perms or SE linux context changed',
      'Block removed',
      '',
      'File DIR/nothing not present',
      'Path DIR/nothing does not exist !',
    ]);
  }, 60_000);
});
