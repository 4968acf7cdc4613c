/** An inventory folder with a link to nothing (issue 25, item 9): skipped with a warning, as Ansible does. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

it('a dangling link in an inventory folder is skipped with a warning naming it; the rest is read', () => {
  const dir = join(workspace(), 'inv');
  mkdirSync(dir);
  writeFileSync(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    h1: {}\n');
  symlinkSync('/nonexistent/quorum-test', join(dir, 'broken.yml'));
  const r = quorum(['inventory', '-i', dir, '--list']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).ungrouped.hosts).toEqual(['h1']);
  expect(r.stderr).toContain(`[WARNING]: ${join(dir, 'broken.yml')}: skipped, it cannot be read`);
});
