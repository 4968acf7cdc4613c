// Bundles the engine (src/) into dist/quorum.mjs so the CLI starts without on-the-fly
// TypeScript compilation (Node 20's loader hooks cost ~0.5 s per start). Roles are not
// bundled: they are still loaded from TypeScript at run time. `npm ci` runs this (prepare).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/quorum.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
