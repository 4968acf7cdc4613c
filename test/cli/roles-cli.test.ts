import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runRoleLocally } from '../../src/testing.ts';
import { quorum, quorumAsync } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

it('roles new scaffolds a site role that lists, shows, converges and is idempotent', async () => {
  const dir = workspace();
  const made = quorum(['roles', 'new', 'site-ntp', '--dir', join(dir, 'roles')]);
  expect(made.code).toBe(0);
  for (const f of ['index.ts', 'README.md', 'templates/site-ntp.conf.hbs', 'site-ntp.test.ts']) {
    expect(existsSync(join(dir, 'roles', 'site-ntp', f))).toBe(true);
  }
  const list = quorum(['roles', 'list', '--roles-path', join(dir, 'roles')]);
  expect(list.stdout).toMatch(/^site-ntp\s+site-specific step/m);
  const show = quorum(['roles', 'show', 'site-ntp', '--roles-path', join(dir, 'roles')]);
  expect(show.stdout).toMatch(/site_ntp_message\s+string\s+"managed by quorum"\s+text to write/);

  const out = join(dir, 'ntp.conf');
  const params = { site_ntp_path: out, site_ntp_message: 'server 127.0.0.1' };
  const check = await runRoleLocally(join(dir, 'roles', 'site-ntp'), params, { check: true });
  expect(check.changed).toBe(1);
  expect(existsSync(out)).toBe(false);
  const first = await runRoleLocally(join(dir, 'roles', 'site-ntp'), params);
  expect(first).toMatchObject({ exitCode: 0, changed: 1 });
  expect(readFileSync(out, 'utf8')).toBe('# localhost\nserver 127.0.0.1\n');
  expect((await runRoleLocally(join(dir, 'roles', 'site-ntp'), params)).changed).toBe(0);
});

it('roles new refuses a bad name and an existing folder', () => {
  const dir = workspace();
  expect(quorum(['roles', 'new', 'Bad Name', '--dir', dir]).code).toBe(1);
  expect(quorum(['roles', 'new', 'ok', '--dir', dir]).code).toBe(0);
  const again = quorum(['roles', 'new', 'ok', '--dir', dir]);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already exists');
});

it("a scaffolded role's own test runs from this checkout, wherever the role lives", () => {
  const dir = workspace();
  expect(quorum(['roles', 'new', 'site-motd', '--dir', dir]).code).toBe(0);
  const root = join(import.meta.dirname, '../..');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=verbose'],
    {
      cwd: root,
      env: {
        ...process.env,
        QUORUM_ROLE_TESTS: join(dir, 'site-motd'),
        VITEST: undefined,
        VITEST_WORKER_ID: undefined,
      },
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  expect(r.status, r.stdout + r.stderr).toBe(0);
  // vitest colours its summary whatever NO_COLOR says under a parent vitest
  const out = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
  expect(out).toMatch(/site-motd converges, then reports no change/);
  expect(out).toMatch(/Tests\s+1 passed/);
});

it('roles list names a role that does not load, with its error, and still lists every other (exit 1)', () => {
  const dir = workspace();
  const roles = join(dir, 'roles');
  expect(quorum(['roles', 'new', 'site-ok', '--dir', roles]).code).toBe(0);
  mkdirSync(join(roles, 'aa-broken'));
  writeFileSync(join(roles, 'aa-broken', 'index.ts'), "throw new Error('broken on purpose');\n");
  const list = quorum(['roles', 'list', '--roles-path', roles]);
  expect(list.code).toBe(1);
  expect(list.stderr).toMatch(/^aa-broken: cannot be loaded: .*broken on purpose/m);
  expect(list.stdout).toMatch(/^site-ok\s/m);
  expect(list.stdout).toMatch(/^kubeadm-init\s/m);
});

// Node 22.18+ and 24 strip types themselves: a site role then loads without tsx (~0.1 s of each
// start); what stripping cannot do (an enum, here in a file the role imports) goes through tsx
it('site roles load by Node itself where it strips types, through tsx what it cannot strip', async () => {
  const dir = workspace();
  // five CLI runs: awaited, so that the worker answers vitest meanwhile
  expect((await quorumAsync(['roles', 'new', 'site-plain', '--dir', join(dir, 'roles')])).code).toBe(0);
  writeFiles(join(dir, 'roles', 'site-enum'), {
    'level.ts': 'export enum Level { Low = 1, High = 2 }\n',
    'index.ts': [
      "import { defineRole } from 'quorum';",
      "import { Level } from './level.ts';",
      'export default defineRole<{ site_enum_path: string }>({',
      "  name: 'site-enum',",
      "  description: 'writes an enum value',",
      "  params: { type: 'object', properties: { site_enum_path: { type: 'string' } }, required: ['site_enum_path'], additionalProperties: false },",
      '  async run(ctx, p) {',
      '    await ctx.copy({ dest: p.site_enum_path, content: `level ${Level.High}\\n` });',
      '  },',
      '});',
      '',
    ].join('\n'),
  });
  const loader = async (role: string) =>
    /^loaded by: (.*)$/m.exec(
      (await quorumAsync(['roles', 'show', role, '--roles-path', join(dir, 'roles')])).stdout,
    )?.[1];
  // from its sources (a bundle older than them) quorum runs under tsx, and so do site roles
  const bundled = (await loader('containerd'))?.startsWith("quorum's build");
  const strips =
    Boolean((process.features as { typescript?: unknown }).typescript) && 'registerHooks' in module;
  expect(await loader('site-plain')).toMatch(
    bundled && strips ? /^Node v[\d.]+, which strips the types/ : /^tsx/,
  );
  expect(await loader('site-enum')).toMatch(/^tsx/);

  const out = join(dir, 'level.txt');
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': `- hosts: h1\n  roles:\n    - { role: site-plain, site_plain_path: ${join(dir, 'plain.txt')} }\n    - { role: site-enum, site_enum_path: ${out} }\n`,
  });
  const run = await quorumAsync([
    'play',
    join(dir, 'play.yml'),
    '-i',
    join(dir, 'hosts.ini'),
    '--roles-path',
    join(dir, 'roles'),
  ]);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(readFileSync(out, 'utf8')).toBe('level 2\n');
  expect(readFileSync(join(dir, 'plain.txt'), 'utf8')).toContain('managed by quorum');
});
