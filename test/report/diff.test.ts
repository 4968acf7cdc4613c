/** --diff's unified diffs: removals before additions, context, new files, large files in linear time. */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/report/diff.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

describe('unified diff', () => {
  it('shows a changed line as a removal then an addition, with context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\n';
    expect(unifiedDiff('/etc/x', before, after)).toBe(
      [
        '--- /etc/x (before)',
        '+++ /etc/x (after)',
        '@@ -1,7 +1,7 @@',
        ' a',
        ' b',
        ' c',
        '-d',
        '+D',
        ' e',
        ' f',
        ' g',
      ].join('\n'),
    );
  });

  it('a new file is a diff against /dev/null; no change is headers only', () => {
    expect(unifiedDiff('/etc/new', '', 'one\ntwo\n')).toBe(
      '--- /dev/null\n+++ /etc/new (after)\n@@ -0,0 +1,2 @@\n+one\n+two',
    );
    expect(unifiedDiff('/etc/same', 'x\n', 'x\n')).toBe('--- /etc/same (before)\n+++ /etc/same (after)');
  });

  it('two far-apart changes in a 200,000-line file: two hunks', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `line ${i}`);
    const changed = [...lines];
    changed[10] = 'changed 10';
    changed[150_000] = 'changed 150000';
    const out = unifiedDiff('/big', `${lines.join('\n')}\n`, `${changed.join('\n')}\n`);
    expect(out.split('\n').filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -8,7 +8,7 @@',
      '@@ -149998,7 +149998,7 @@',
    ]);
  });

  it('--diff of a play prints the diff of what changes', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      conf: 'port = 80\nhost = a\n',
      'play.yml': `- hosts: all\n  tasks:\n    - copy: { dest: "${dir}/conf", content: "port = 8080\\nhost = a\\n" }\n`,
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--diff', '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `      --- ${dir}/conf (before)\n      +++ ${dir}/conf (after)\n      @@ -1,2 +1,2 @@\n      -port = 80\n      +port = 8080\n       host = a\n`,
    );
  });
});
