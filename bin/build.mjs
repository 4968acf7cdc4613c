// Bundles the engine (src/) into dist/quorum.mjs so the CLI starts without on-the-fly
// TypeScript compilation (Node 20's loader hooks cost ~0.5 s per start), the package's exports
// into dist/lib/ and their types into dist/types/, and the built-in roles into dist/roles/ (site
// roles are loaded from TypeScript at run time). `npm ci` and `npm pack` run this (prepare).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// inside the project: the generator below imports engine code that finds its package.json above it
const work = mkdtempSync(join('node_modules', '.quorum-build-'));
// bundled CommonJS packages call require(): give the ESM bundle one
const banner = {
  js: "import { createRequire as __quorumRequire } from 'node:module'; const require = __quorumRequire(import.meta.url);",
};

/**
 * quorum's own JSON schemas (playbook, built-in modules) compiled to code now, with the
 * options the engine uses: compiling them at every start cost ~50 ms.
 */
async function precompileValidators() {
  const generator = join(work, 'precompile.mjs');
  // the built-in roles' param schemas too: a run of cluster.yml compiled 11 of them (~60 ms)
  const roles = readdirSync('roles').filter((n) => existsSync(join('roles', n, 'index.ts')));
  const entry = join(work, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { ownSchemas, validatorsModule } from ${JSON.stringify(join(process.cwd(), 'src/playbook/precompile.ts'))};`,
      ...roles.map(
        (n, i) => `import r${i} from ${JSON.stringify(join(process.cwd(), 'roles', n, 'index.ts'))};`,
      ),
      `export const roleSchemas = [${roles.map((_, i) => `r${i}.params`).join(', ')}];`,
    ].join('\n'),
  );
  await build({
    entryPoints: [entry],
    outfile: generator,
    bundle: true,
    platform: 'node',
    format: 'esm',
    banner,
    // roles import the engine by its package names: its sources here
    alias: {
      quorum: './src/index.ts',
      'quorum/cluster': './src/cluster/index.ts',
      'quorum/testing': './src/testing.ts',
    },
    external: ['node-ssh', 'ssh2', 'zx', 'tsx', 'tsx/*', 'esbuild'],
    logLevel: 'warning',
  });
  const { ownSchemas, roleSchemas, validatorsModule } = await import(pathToFileURL(generator).href);
  return validatorsModule([...ownSchemas(), ...roleSchemas]);
}

const validators = await precompileValidators();

// Split at dynamic imports: commands load what they need (the lab's zx alone costs ~0.25 s
// of start-up) only when they run. Old chunks go first so dist/ holds one build.
rmSync('dist', { recursive: true, force: true });

// the CLI and the package's exports (quorum, quorum/cluster, quorum/testing) share their
// chunks: a role that imports quorum gets the module instances of the engine that runs it
await build({
  entryPoints: {
    quorum: 'src/cli/main.ts',
    'lib/index': 'src/index.ts',
    'lib/cluster': 'src/cluster/index.ts',
    'lib/testing': 'src/testing.ts',
  },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['node-ssh', 'ssh2', 'zx', 'tsx', 'tsx/*', 'esbuild'],
  banner,
  plugins: [
    {
      // src/schema/precompiled.ts (empty: compile on first use) gives way to the generated code
      name: 'precompiled-validators',
      setup(b) {
        b.onResolve({ filter: /\/precompiled\.ts$/ }, () => ({
          path: 'validators',
          namespace: 'precompiled',
        }));
        b.onLoad({ filter: /.*/, namespace: 'precompiled' }, () => ({
          contents: validators,
          resolveDir: process.cwd(),
          loader: 'js',
        }));
      },
    },
  ],
  sourcemap: 'linked',
  logLevel: 'warning',
});
rmSync(work, { recursive: true, force: true });

// the built-in roles, one module each (a role's own files bundled in; quorum, quorum/cluster and
// npm packages left to resolve when it loads, quorum to the engine that runs it: the package
// refers to itself): the CLI loads them without compiling TypeScript (src/roles/registry.ts)
const roleNames = readdirSync('roles').filter((n) => existsSync(join('roles', n, 'index.ts')));
await build({
  entryPoints: Object.fromEntries(roleNames.map((n) => [n, join('roles', n, 'index.ts')])),
  outdir: 'dist/roles',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

// the exports' types, for site repositories' tsc (declarations only; checked by `npm run typecheck`)
const tsc = spawnSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-p', 'bin/tsconfig.types.json'],
  {
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
