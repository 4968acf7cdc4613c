#!/usr/bin/env node
// Runs the bundled engine (dist/, built by `npm ci` / `npm run build`) when it is up to date,
// else the TypeScript sources through tsx. The bundle brings the built-in roles built too
// (dist/roles); site roles are TypeScript loaded at run time.
import { readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Node 22.1+: compiled modules are cached on disk (NODE_COMPILE_CACHE, else the OS temp
// folder), which cuts start-up; measured by test/bench/startup.ts. Node 20 has no such cache.
if (process.env.QUORUM_NO_COMPILE_CACHE !== '1') module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'quorum.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource(join(root, 'src'));
  } catch {
    return false;
  }
}

if (process.env.QUORUM_FROM_SOURCE !== '1' && bundleIsFresh()) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
