import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// QUORUM_ROLE_TESTS=/path/to/a/role: run that role's scaffolded test from this checkout, wherever
// the role lives ('quorum' and 'quorum/testing' resolve to this checkout's sources)
const roleTests = process.env.QUORUM_ROLE_TESTS ? resolve(process.env.QUORUM_ROLE_TESTS) : undefined;
const src = join(import.meta.dirname, 'src');

export default defineConfig({
  resolve: {
    alias: [
      { find: /^quorum\/testing$/, replacement: join(src, 'testing.ts') },
      { find: /^quorum\/cluster$/, replacement: join(src, 'cluster/index.ts') },
      { find: /^quorum$/, replacement: join(src, 'index.ts') },
    ],
  },
  test: {
    ...(roleTests ? { dir: roleTests } : {}),
    include: roleTests ? ['**/*.test.ts'] : ['test/**/*.test.ts', 'roles/**/*.test.ts'],
    // the unit suite's hosts are all this one machine (local connections), run by many test files
    // at once: its runs do not take run leases on it (test/execute/run-lock.test.ts tests them)
    // the CLI's run journal goes to a folder of the tests', not the user's state folder
    env: { QUORUM_RUN_LOCK: 'off', QUORUM_DURABLE_HANDLERS: 'off', XDG_STATE_HOME: join(tmpdir(), 'quorum-test-state') },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // names a test that blocks its worker past vitest's fixed 60 s RPC deadline
    setupFiles: [join(import.meta.dirname, 'test/setup/loop-watch.ts'), join(import.meta.dirname, 'test/setup/cache-home.ts')],
    // most test time is spent waiting on child processes (ansible-playbook, shells, sshd), so
    // more forks than cores pays: on CI's 2 cores the unit suite took 491 s with vitest's
    // default there (cores - 1 = one fork), 322 s with three
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
