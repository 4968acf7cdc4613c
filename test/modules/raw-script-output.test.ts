/**
 * raw and script register their output as it was printed (their action plugins strip nothing),
 * held to ansible-core 2.19 side by side on a local connection: quorum stripped trailing
 * whitespace, so `stdout` and `stdout_lines` lost the blank lines and spaces Ansible keeps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bothSucceeded, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  tasks:
    - script: spaces.sh
      register: s
    - raw: printf 'a  \\n\\n'
      register: r
${seenTask(out, 'output', '[s.stdout, s.stderr, s.stdout_lines, s.rc, r.stdout, r.stdout_lines, r.rc]')}
`;

describe('raw and script output, as 2.19 registers it', () => {
  it('keeps the ends of stdout and stderr', async () => {
    const side = await sideBySide(play, { 'spaces.sh': '#!/bin/sh\necho "a  "; echo\necho err >&2\n' });
    bothSucceeded(side);
    const seen = (dir: string) => readFileSync(join(dir, 'output'), 'utf8');
    expect(seen(side.out.quorum)).toBe(seen(side.out.ansible));
    expect(JSON.parse(seen(side.out.quorum))).toEqual([
      'a  \n\n',
      'err\n',
      ['a  ', ''],
      0,
      'a  \n\n',
      ['a  ', ''],
      0,
    ]);
  }, 60_000);
});
