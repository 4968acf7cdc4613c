/**
 * Bytes are bytes (issue 25, item 1): a controller file that is not UTF-8 text arrives as it is
 * (it used to be decoded, every invalid byte becoming EF BF BD, and a second run said changed=0),
 * compared by sha256 from then on; a template that is not UTF-8 is refused, not rendered.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const INV = 'all:\n  hosts:\n    localhost: { ansible_connection: local }\n';

function play(dir: string, tasks: string, args: string[] = []) {
  writeFileSync(join(dir, 'inv.yml'), INV);
  writeFileSync(join(dir, 'play.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks}`);
  const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json', ...args]);
  const events = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  const changed = events.filter(
    (e) => e.type === 'step' && (e.status === 'changed' || e.status === 'would_change'),
  );
  return { ...r, events, changed };
}

describe('binary files', () => {
  it('1,000,000 random bytes arrive byte for byte; the next run and a check run change nothing; one byte changed is one change', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'files'));
    const bytes = randomBytes(1_000_000);
    writeFileSync(join(dir, 'files', 'b1.bin'), bytes);
    // Ansible's copy writes into a folder that exists
    mkdirSync(join(dir, 'out'));
    const dest = join(dir, 'out', 'b1.bin');
    const task = `    - copy: { src: b1.bin, dest: ${dest}, mode: '0600' }\n`;
    const first = play(dir, task);
    expect(first.code, first.stderr).toBe(0);
    const written = readFileSync(dest);
    expect(written.length).toBe(1_000_000);
    expect(sha(written)).toBe(sha(bytes));
    expect(play(dir, task).changed).toEqual([]);
    expect(play(dir, task, ['--check']).changed).toEqual([]);
    bytes[500_000] ^= 0xff;
    writeFileSync(join(dir, 'files', 'b1.bin'), bytes);
    const check = play(dir, task, ['--check', '--diff']);
    expect(check.changed).toHaveLength(1);
    // never shown as text
    expect(JSON.stringify(check.changed[0])).not.toContain('"diff"');
    expect(check.changed[0].changes[0].summary).toMatch(
      /update .* \(1000000 bytes, binary, sha256 differs\)/,
    );
    expect(sha(readFileSync(dest))).not.toBe(sha(bytes));
    expect(play(dir, task).code).toBe(0);
    expect(sha(readFileSync(dest))).toBe(sha(bytes));
  });

  it('invalid UTF-8 inside an otherwise text file, and a folder copy with a binary file in it', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'files', 'tree'), { recursive: true });
    const latin1 = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
    writeFileSync(join(dir, 'files', 'latin1.txt'), latin1);
    writeFileSync(join(dir, 'files', 'tree', 'logo.png'), png);
    writeFileSync(join(dir, 'files', 'tree', 'a.txt'), 'text\n');
    const out = join(dir, 'out');
    mkdirSync(out);
    const tasks = `    - copy: { src: latin1.txt, dest: ${out}/latin1.txt }\n    - copy: { src: tree/, dest: ${out}/tree/ }\n`;
    expect(play(dir, tasks).code).toBe(0);
    expect(readFileSync(join(out, 'latin1.txt'))).toEqual(latin1);
    expect(readFileSync(join(out, 'tree', 'logo.png'))).toEqual(png);
    expect(readFileSync(join(out, 'tree', 'a.txt'), 'utf8')).toBe('text\n');
    expect(play(dir, tasks).changed).toEqual([]);
  });

  it('a template that is not UTF-8 is refused before anything runs, with its name; nothing is written', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'bad.j2'), Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a]));
    const r = play(dir, `    - template: { src: bad.j2, dest: ${dir}/bad.out }\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/"bad\.j2" is not UTF-8 text/);
    expect(() => readFileSync(join(dir, 'bad.out'))).toThrow();
  });

  it('a script that is not text runs as the bytes it is', () => {
    const dir = workspace();
    mkdirSync(join(dir, 'files'));
    // a shell script whose comment holds bytes that are not UTF-8: it must reach the host intact
    const script = Buffer.concat([
      Buffer.from('#!/bin/sh\n# '),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from(`\nsha256sum "$0" | cut -c1-64 > ${dir}/seen\n`),
    ]);
    writeFileSync(join(dir, 'files', 'run.sh'), script);
    expect(play(dir, `    - script: run.sh\n`).code).toBe(0);
    expect(readFileSync(join(dir, 'seen'), 'utf8').trim()).toBe(sha(script));
  });

  it('fetch: a host file to the controller byte for byte (flat or under DEST/HOST/SRC); same bytes: nothing to do; check writes nothing', () => {
    const dir = workspace();
    const remote = join(dir, 'host', 'snap.db');
    mkdirSync(join(dir, 'host'));
    const bytes = randomBytes(200_000);
    writeFileSync(remote, bytes);
    const flat = join(dir, 'backups', 'snap.db');
    const tasks = `    - fetch: { src: ${remote}, dest: ${dir}/backups/, flat: true }\n    - fetch: { src: ${remote}, dest: ${dir}/tree }\n`;
    const check = play(dir, tasks, ['--check']);
    expect(check.changed.map((e: { changes: Array<{ summary: string }> }) => e.changes[0].summary)).toEqual([
      expect.stringMatching(new RegExp(`^fetch ${remote} \\(sha256 [0-9a-f]{12}\\) to ${flat}$`)),
      expect.stringMatching(/ to .*\/tree\/localhost\/.*\/host\/snap\.db$/),
    ]);
    expect(() => readFileSync(flat)).toThrow();
    expect(play(dir, tasks).code).toBe(0);
    expect(sha(readFileSync(flat))).toBe(sha(bytes));
    expect(sha(readFileSync(join(dir, 'tree', 'localhost', remote)))).toBe(sha(bytes));
    expect(play(dir, tasks).changed).toEqual([]);
    const missing = play(dir, `    - fetch: { src: ${dir}/nothing, dest: ${dir}/b/, flat: true }\n`);
    expect(missing.code).toBe(2);
  });
});
