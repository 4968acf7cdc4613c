/**
 * `quorum init`: a site repository whose role imports values from `quorum` and `quorum/cluster`,
 * played by this checkout's quorum with no node_modules in the site (as an ES module package,
 * and as a plain folder where tsx loads the role as CommonJS). The packed tarball installed into
 * such a site (tsc, validate, play, its role test) is .ci/run's part (test/package/site.sh).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { changedCount, playJsonAsync } from '../helpers/lab.ts';
import { workspace } from '../helpers/run-local.ts';

function site() {
  const dir = join(workspace(), 'acme-site');
  const made = quorum(['init', dir]);
  expect(made.code, made.stderr).toBe(0);
  return dir;
}

it('init writes a site repository: package.json on quorum, tsconfig without skipLibCheck, a role and its test', () => {
  const dir = site();
  for (const f of [
    'package.json',
    'tsconfig.json',
    'vitest.config.ts',
    'inventory/hosts.yml',
    'playbooks/site.yml',
    'roles/motd/index.ts',
    'roles/motd/motd.test.ts',
    'roles/motd/templates/motd.conf.hbs',
  ])
    expect(existsSync(join(dir, f)), f).toBe(true);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  expect(pkg.name).toBe('acme-site');
  expect(pkg.dependencies.quorum).toBe(`file:${join(import.meta.dirname, '../..')}`);
  expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@types/node', 'typescript', 'vitest']);
  expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).compilerOptions.skipLibCheck).toBe(
    undefined,
  );
  const role = readFileSync(join(dir, 'roles/motd/index.ts'), 'utf8');
  expect(role).toContain("import { defineRole } from 'quorum';");
  expect(role).toContain("import { nodeAddress } from 'quorum/cluster';");
  // a folder with files in it is left alone
  const again = quorum(['init', dir]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('is not empty');
});

for (const kind of ['an ES module package', 'a plain folder (the role loads as CommonJS)'])
  it(`a site role importing values from quorum and quorum/cluster runs from ${kind}, with no node_modules`, async () => {
    const dir = site();
    if (kind.startsWith('a plain')) rmSync(join(dir, 'package.json'));
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const out = join(dir, 'out', 'motd.conf');
    const args = ['-e', `motd_path=${out}`];
    // five runs: not spawnSync, which would block the worker for all of them
    const play = (extra: string[] = []) =>
      playJsonAsync(join(dir, 'playbooks/site.yml'), [...args, ...extra], join(dir, 'inventory/hosts.yml'));

    const check = await play(['--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(changedCount(check.events)).toBe(1);
    expect(existsSync(out)).toBe(false);
    const first = await play();
    expect(first.code, first.stderr).toBe(0);
    // the step's name carries nodeAddress() from quorum/cluster: the helper ran, not only a type
    expect(first.events).toContainEqual(
      expect.objectContaining({ type: 'step', task: 'motd: motd on localhost' }),
    );
    expect(readFileSync(out, 'utf8')).toBe('# localhost\nhello from the site repository\n');
    expect(changedCount((await play()).events)).toBe(0);
    writeFileSync(out, 'drifted\n');
    expect(changedCount((await play(['--check'])).events)).toBe(1);
  });
