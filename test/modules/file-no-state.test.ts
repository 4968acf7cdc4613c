/**
 * file without `state`, held to ansible-core 2.19's file module side by side (local connection):
 * the path keeps what it is (a directory stays one, a link's attributes go to its target), and a
 * path that is not there fails in Ansible's words (devsec.hardening's os_hardening sets a mount
 * point's mode so; quorum took every such path for a file and failed on directories).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedAgain, resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - name: paths
      shell: mkdir -p ${out}/d/sub ${out}/ld && chmod 700 ${out}/d ${out}/ld && echo x > ${out}/f && ln -sfn f ${out}/l && ln -sfn ld ${out}/dl
      args: { creates: ${out}/f }
    - name: a directory
      file: { path: ${out}/d, mode: "0755" }
      register: r0
    - name: a link to a file
      file: { path: ${out}/l, mode: "0600" }
      register: r1
    - name: a link to a directory
      file: { path: ${out}/dl, mode: "0750" }
      register: r2
    - name: a directory with recurse
      file: { path: ${out}/d, recurse: true, mode: "0755" }
      register: r3
    - name: nothing there
      file: { path: ${out}/none, mode: "0600" }
      register: r4
      ignore_errors: true
    - name: nothing there, recurse
      file: { path: ${out}/made, recurse: true }
      register: r5
    - name: a file with recurse
      file: { path: ${out}/f, recurse: true }
      register: r6
      ignore_errors: true
${resultsTask(`${out}/results.json`, 7, ['invocation', 'exception', 'diff', 'size', 'uid', 'gid', 'owner', 'group', 'mode'])}
`;

describe('file without state, as ansible-core 2.19', () => {
  it('keeps what the path is, registers it, and changes nothing the second time', async () => {
    const side = await sideBySide(play);
    expect(sameStatuses(side)).toMatchObject({
      'a directory': 'changed',
      'a link to a file': 'changed',
      'a link to a directory': 'changed',
      'nothing there': 'failed',
      'nothing there, recurse': 'changed',
      'a file with recurse': 'failed',
    });
    const results = sameResults(side.out);
    expect(results.map((r) => r.state)).toEqual([
      'directory',
      'link',
      'link',
      'directory',
      'absent',
      'directory',
      'file',
    ]);
    for (const out of [side.out.quorum, side.out.ansible]) {
      expect(statSync(join(out, 'd')).mode & 0o777).toBe(0o755);
      expect(statSync(join(out, 'f')).mode & 0o777).toBe(0o600);
      expect(statSync(join(out, 'ld')).mode & 0o777).toBe(0o750);
      expect(statSync(join(out, 'made')).isDirectory()).toBe(true);
    }
    expect(await changedAgain(side.dir)).toEqual([]);
  });
});
