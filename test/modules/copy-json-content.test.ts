/**
 * copy's content given as a dict or a list: Ansible's copy action writes it as json.dumps does
 * (", " and ": ", non-ASCII escaped, the dict's own order). The same task through ansible-core
 * 2.19 and through quorum leaves the same bytes; a second quorum run changes nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { changedSteps, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const tasks = (out: string) =>
  [
    '- hosts: all',
    '  gather_facts: false',
    '  tasks:',
    `    - copy: { dest: "${out}/d.json", content: { b: 1, a: [x, 2.5, true], c: null, u: "é" } }`,
    `    - copy: { dest: "${out}/l.json", content: [1, two, { k: v }] }`,
    '',
  ].join('\n');

describe('copy content as a dict or a list', () => {
  it('writes the JSON text ansible-core writes', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': tasks(join(dir, 'q')),
      'ansible.yml': tasks(join(dir, 'a')),
      // Ansible's copy refuses a destination folder that does not exist
      'q/.keep': '',
      'a/.keep': '',
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml'], dir);
    expect(oracle.code, oracle.stdout).toBe(0);
    for (const f of ['d.json', 'l.json'])
      expect(readFileSync(join(dir, 'q', f), 'utf8')).toBe(readFileSync(join(dir, 'a', f), 'utf8'));
    expect(readFileSync(join(dir, 'q', 'd.json'), 'utf8')).toBe(
      '{"b": 1, "a": ["x", 2.5, true], "c": null, "u": "\\u00e9"}',
    );
    expect(changedSteps(await runLocal(dir))).toEqual([]);
  }, 60_000);
});
