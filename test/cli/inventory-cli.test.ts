import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUORUM_BIN, quorum } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'quorum-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('quorum CLI basics', () => {
  it('prints its version and help', () => {
    const v = quorum(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const h = quorum(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('inventory');
    expect(h.stdout).toContain('hosts');
  });

  it('stops quietly when the reader of its output goes away (| head)', () => {
    const inv = file('big.ini', '[big]\nh[00000:29999]\n');
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${QUORUM_BIN}" hosts -i "${inv}" all | head -c 1 >/dev/null; exit 0`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
  });

  it('lists hosts of a pattern in play order, and of a limit in inventory order', () => {
    const inv = file('order.ini', '[a]\na1\na2\n[b]\nb1\nb2\n');
    expect(quorum(['hosts', '-i', inv, 'b:a']).stdout.split('\n').filter(Boolean)).toEqual([
      'b1',
      'b2',
      'a1',
      'a2',
    ]);
    expect(quorum(['hosts', '-i', inv, 'all', '--limit', 'b:a']).stdout.split('\n').filter(Boolean)).toEqual([
      'a1',
      'a2',
      'b1',
      'b2',
    ]);
    const limitFile = file('limit.txt', 'b2\na1\n');
    expect(
      quorum(['hosts', '-i', inv, 'all', '--limit', `@${limitFile}`])
        .stdout.split('\n')
        .filter(Boolean),
    ).toEqual(['a1', 'b2']);
  });

  it('refuses a limit that leaves no hosts, like ansible does', () => {
    const inv = file('small.ini', 'h1\n');
    const r = quorum(['hosts', '-i', inv, 'all', '--limit', 'nothing']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no hosts');
  });

  it('prints one host with --host and a subtree with --graph GROUP', () => {
    const inv = file('vars.ini', '[g]\nh1 x=1\n[g:vars]\ny=two\n[p:children]\ng\n');
    expect(JSON.parse(quorum(['inventory', '-i', inv, '--host', 'h1']).stdout)).toEqual({ x: 1, y: 'two' });
    expect(quorum(['inventory', '-i', inv, '--graph', 'p']).stdout.trimEnd()).toBe(
      '@p:\n  |--@g:\n  |  |--h1',
    );
  });
});

describe('bad inventory input: located error, exit 1, no stack trace', () => {
  it.each([
    [
      'unknown-section.ini',
      '[web]\nw1\n[web:hostvars]\nx=1\n',
      /unknown-section\.ini:3: section \[web:hostvars\] has unknown type/,
    ],
    ['bad-range.ini', '[web]\nw[1:]\n', /bad-range\.ini:2: host range must specify end value/],
    ['bad-padding.ini', '[web]\nw[01:100]\n', /bad-padding\.ini:2: host range must specify equal-length/],
    ['cycle.ini', '[a:children]\nb\n[b:children]\na\n', /cycle\.ini:4: .*creates a cycle: a -> b -> a/],
    ['undeclared.ini', '[a:children]\nghost\n', /undeclared\.ini:2: .*undefined group "ghost"/],
    ['quote.ini', "[a]\nh1 x='open\n", /quote\.ini:2: cannot parse host definition/],
    ['broken.yml', 'all:\n  hosts:\n    a: [1,\n', /broken\.yml:\d+:\d+: invalid YAML/],
    ['int-host.yml', 'all:\n  hosts:\n    1234:\n', /int-host\.yml:3:5: host pattern 1234 must be a string/],
    [
      'yaml-cycle.yml',
      'a:\n  children:\n    b:\n      children:\n        a:\n',
      /yaml-cycle\.yml:3:5: .*creates a cycle: b -> a -> b/,
    ],
  ])('%s', (name, text, message) => {
    const r = quorum(['inventory', '--list', '-i', file(name, text)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('names a missing inventory path', () => {
    const r = quorum(['inventory', '--list', '-i', join(dir, 'nope.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('inventory source not found');
  });
});
