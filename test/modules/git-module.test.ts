/** The git module on this machine (local transport) against a local repository: clone, converge, update. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

function repo(dir: string): string {
  const src = join(dir, 'src');
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', src, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@t',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@t',
      },
    });
  execFileSync('git', ['init', '-q', '-b', 'main', src]);
  writeFileSync(join(src, 'VERSION'), '1\n');
  git('add', '.');
  git('commit', '-q', '-m', 'one');
  git('tag', 'v1');
  writeFileSync(join(src, 'VERSION'), '2\n');
  git('commit', '-q', '-am', 'two');
  return src;
}

describe('git module', () => {
  it('clones at a tag, then changes nothing, then moves to a branch', async () => {
    const dir = workspace();
    const src = repo(dir);
    const play = (version: string) =>
      `- hosts: all\n  tasks:\n    - git: { repo: ${src}, dest: ${dir}/checkout, version: ${version} }\n`;
    writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play('v1') });
    const first = await runLocal(dir);
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'checkout/VERSION'), 'utf8')).toBe('1\n');
    const again = await runLocal(dir);
    expect(steps(again).map((s) => s.status)).toEqual(['ok']);
    writeFiles(dir, { 'play.yml': play('main') });
    const check = await runLocal(dir, { check: true });
    expect(steps(check).map((s) => s.status)).toEqual(['would_change']);
    expect(readFileSync(join(dir, 'checkout/VERSION'), 'utf8')).toBe('1\n');
    expect((await runLocal(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'checkout/VERSION'), 'utf8')).toBe('2\n');
  });
});
