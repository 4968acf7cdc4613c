// Bundles the engine (src/) into dist/quorum.mjs so the CLI starts without on-the-fly
// TypeScript compilation (Node 20's loader hooks cost ~0.5 s per start). Roles are not
// bundled: they are still loaded from TypeScript at run time. `npm ci` runs this (prepare).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Split at dynamic imports: commands load what they need (the lab's zx alone costs ~0.25 s
// of start-up) only when they run. Old chunks go first so dist/ holds one build.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist',
  entryNames: 'quorum',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['node-ssh', 'ssh2', 'zx', 'tsx', 'tsx/*', 'esbuild'],
  // bundled CommonJS packages call require(): give the ESM bundle one
  banner: {
    js: "import { createRequire as __quorumRequire } from 'node:module'; const require = __quorumRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
});
