/**
 * find (contains, get_checksum, follow, depth) against ansible-core 2.19's own find module: the same folder, the same params,
 * through `ansible localhost -m find` and through a quorum run on this machine.
 */
import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const FILES: Record<string, string> = {
  'apcu.ini': 'extension=apcu.so\n',
  'spaced.ini': '; comment\nextension = apc.so\n',
  'indented.ini': '  extension=apcu.so\n',
  'other.ini': 'extension=opcache.so\n',
  'empty.ini': '',
};

async function viaAnsible(dir: string, args: Record<string, unknown>, show = 'path'): Promise<string[]> {
  const r = await ansibleCurrent('ansible', [
    'localhost',
    '-c',
    'local',
    '-m',
    'find',
    '-a',
    JSON.stringify({ paths: dir, ...args }),
  ]);
  if (r.code !== 0) throw new Error(`ansible find: ${r.stdout}${r.stderr}`);
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  return (json.files as Array<Record<string, string>>).map((f) => `${f.path} ${f[show] ?? '-'}`).sort();
}

async function viaQuorum(dir: string, args: Record<string, unknown>, show = 'path'): Promise<string[]> {
  const work = workspace();
  const out = join(work, 'found.json');
  writeFiles(work, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': JSON.stringify([
      {
        hosts: 'all',
        tasks: [
          { find: { paths: dir, ...args }, register: 'found' },
          {
            copy: {
              dest: out,
              content: `{{ found.files | map(attribute='path') | zip(found.files | map(attribute='${show}', default='-')) | map('join', ' ') | sort | to_json }}`,
            },
          },
        ],
      },
    ]),
  });
  const r = await runLocal(work);
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8'));
}

describe('find contains, as Ansible finds', () => {
  const dir = join(workspace(), 'conf.d');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);

  it.each([
    [{ contains: 'extension(\\s+)?=(\\s+)?apc[u]?\\.so' }],
    [{ contains: 'ext' }],
    [{ contains: 'apc', read_whole_file: true }],
    [{ contains: '.*apc', patterns: '*.ini' }],
  ])(
    '%j',
    async (args) => {
      const expected = await viaAnsible(dir, args);
      // the oracle must have told the files apart, or the comparison proves nothing
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(Object.keys(FILES).length);
      expect(await viaQuorum(dir, args)).toEqual(expected);
    },
    30_000,
  );
});

describe('find get_checksum, as Ansible finds', () => {
  it("gives each regular file's SHA1, and none to a folder", async () => {
    const dir = join(workspace(), 'sums');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
    const args = { get_checksum: true, file_type: 'any' };
    const expected = await viaAnsible(dir, args, 'checksum');
    expect(expected).toContain(`${dir}/sub -`);
    expect(expected.filter((l) => /[0-9a-f]{40}$/.test(l))).toHaveLength(Object.keys(FILES).length);
    expect(await viaQuorum(dir, args, 'checksum')).toEqual(expected);
  }, 30_000);
});

describe('find follow and depth, as Ansible walks', () => {
  // a/ b.txt, a/sub/c.txt, a/sub/deep/d.txt; dirlink -> a/sub, filelink -> b.txt, broken -> nowhere
  const dir = join(workspace(), 'tree');
  mkdirSync(join(dir, 'a/sub/deep'), { recursive: true });
  writeFileSync(join(dir, 'b.txt'), 'b\n');
  writeFileSync(join(dir, 'a/sub/c.txt'), 'c\n');
  writeFileSync(join(dir, 'a/sub/deep/d.txt'), 'd\n');
  symlinkSync(join(dir, 'a/sub'), join(dir, 'dirlink'));
  symlinkSync('b.txt', join(dir, 'filelink'));
  symlinkSync('nowhere', join(dir, 'broken'));

  it.each([
    [{ recurse: true, depth: 2, file_type: 'any' }],
    [{ recurse: false, depth: 3, file_type: 'any' }],
    [{ recurse: true, depth: 0 }],
    [{ recurse: true, follow: true }],
    [{ recurse: true, follow: true, file_type: 'any', depth: 3 }],
    [{ recurse: true, follow: true, file_type: 'link' }],
    [{ recurse: true, follow: true, file_type: 'directory' }],
    [{ recurse: false, follow: true, file_type: 'any' }],
  ])(
    '%j',
    async (args) => {
      const expected = await viaAnsible(dir, args, 'size');
      expect(expected.length).toBeGreaterThan(0);
      expect(await viaQuorum(dir, args, 'size')).toEqual(expected);
    },
    30_000,
  );
});

describe('find age, size and excludes, as Ansible finds', () => {
  const dir = join(workspace(), 'logs');
  mkdirSync(dir);
  const now = Date.now() / 1000;
  const entries: Array<[string, number, number]> = [
    ['old.log', 2000, 10 * 86400],
    ['new.log', 10, 0],
    ['mid.txt', 5000, 2 * 3600],
    ['app.log.1', 300, 3 * 86400],
  ];
  for (const [name, size, age] of entries) {
    writeFileSync(join(dir, name), 'x'.repeat(size));
    utimesSync(join(dir, name), now - age, now - age);
  }
  mkdirSync(join(dir, 'sub'));
  utimesSync(join(dir, 'sub'), now - 3 * 86400, now - 3 * 86400);

  it.each([
    [{ age: '2d' }],
    [{ age: '-1h' }],
    [{ age: '3h', age_stamp: 'atime' }],
    [{ size: '1k' }],
    [{ size: '-400' }],
    [{ size: '1k', file_type: 'any', age: '1d' }],
    [{ patterns: '*.log*', excludes: '*.1' }],
    [{ excludes: 'mid.*,new.log' }],
    [{ patterns: '.*log', use_regex: true }],
    [{ patterns: 'log', use_regex: true }],
    [{ file_type: 'directory', age: '1d' }],
  ])(
    '%j',
    async (args) => {
      const expected = await viaAnsible(dir, args);
      expect(await viaQuorum(dir, args)).toEqual(expected);
    },
    30_000,
  );

  it('fails on an age or size it cannot read, as the module does', async () => {
    const r = await ansibleCurrent('ansible', [
      'localhost',
      '-c',
      'local',
      '-m',
      'find',
      '-a',
      JSON.stringify({ paths: dir, age: '2 days' }),
    ]);
    expect(r.stdout).toContain('failed to process age');
    const work = workspace();
    writeFiles(work, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - find: { paths: ${dir}, age: 2 days }\n`,
    });
    const run = await runLocal(work);
    expect(run.code).toBe(2);
    expect(JSON.stringify(run.events)).toContain('failed to process age');
  }, 30_000);
});
