/**
 * tempfile as ansible-core 2.19's: a new file (0600) or folder (0700) named PREFIX + 8
 * characters + SUFFIX in `path`, its name registered as `path`; every run makes another.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSteps, runLocal } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) =>
  [
    '- hosts: all',
    '  gather_facts: false',
    '  tasks:',
    `    - tempfile: { path: ${out} }`,
    '      register: f',
    `    - tempfile: { path: ${out}, state: directory, prefix: build-, suffix: .d }`,
    '      register: d',
    `    - copy: { dest: ${out}/names, content: "{{ f.path }} {{ d.path }} {{ f.state }}" }`,
    '',
  ].join('\n');

function made(out: string) {
  const [file, folder, state] = readFileSync(join(out, 'names'), 'utf8').split(' ');
  return {
    file: file.replace(out, 'OUT').replace(/[\w]{8}$/, 'XXXXXXXX'),
    folder: folder.replace(out, 'OUT').replace(/[\w]{8}\.d$/, 'XXXXXXXX.d'),
    state,
    fileMode: (statSync(file).mode & 0o777).toString(8),
    folderMode: (statSync(folder).mode & 0o777).toString(8),
  };
}

describe('tempfile', () => {
  it('makes what ansible-core 2.19 makes, and a new one on every run', async () => {
    const { dir, out, run, oracle } = await sideBySide(play);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const ansible = made(out.ansible);
    expect(ansible).toEqual({
      file: 'OUT/ansible.XXXXXXXX',
      folder: 'OUT/build-XXXXXXXX.d',
      state: 'file',
      fileMode: '600',
      folderMode: '700',
    });
    expect(made(out.quorum)).toEqual(ansible);
    const again = await runLocal(dir);
    expect(changedSteps(again).filter((s) => s.includes('tempfile'))).toHaveLength(2);
    expect(readdirSync(out.quorum)).toHaveLength(5);
    // a check run predicts both, with names known after apply, and makes nothing
    expect((await runLocal(dir, { check: true })).code).toBe(0);
    expect(readdirSync(out.quorum)).toHaveLength(5);
  }, 60_000);
});
