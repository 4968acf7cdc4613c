/**
 * Site roles import `quorum`, `quorum/cluster` and `quorum/testing` wherever they live: a role
 * in /srv/site/roles has no node_modules/quorum above it, and one that has may hold another
 * version. Those names resolve to the running engine's own entry points instead. tsx compiles a
 * role outside an ES module package as CommonJS (require) and inside one as an ES module
 * (import), so both resolvers are pointed here: a module.register hook for import, and
 * Module._resolveFilename for require (Node 20's module.register hooks do not reach require).
 */
import module, { createRequire } from 'node:module';
import { engineEntryPoints } from '../paths.ts';

// the mapped URL goes on down the chain: tsx's own resolve must see a .ts entry point to load it
const HOOK = `let map = {};
export function initialize(data) { map = data; }
export async function resolve(specifier, context, next) {
  const to = map[specifier];
  return next(to ?? specifier, context);
}`;

let ready: Promise<void> | undefined;

interface ResolveHooks {
  resolve(specifier: string, context: unknown, next: (s: string, c: unknown) => unknown): unknown;
}
const registerHooks = (module as unknown as { registerHooks?: (hooks: ResolveHooks) => void }).registerHooks;

/**
 * Node strips TypeScript's types itself (22.18+, 23.6+) and has in-thread resolve hooks that
 * reach import and require alike (22.15+): a role in erasable TypeScript then loads without tsx,
 * whose loaders cost ~0.3 s of a start. From the sources tsx is loaded already.
 */
export function nodeLoadsRoles(): boolean {
  const features = process.features as { typescript?: string | false };
  return Boolean(features.typescript) && registerHooks !== undefined && !import.meta.url.endsWith('.ts');
}

let engineHooked = false;

/** For Node's own loader: the engine's package names resolve to the running engine. */
export function hookEngineImports(): void {
  if (engineHooked) return;
  engineHooked = true;
  const entries = engineEntryPoints();
  registerHooks?.({
    resolve: (specifier, context, next) => next(entries[specifier]?.url ?? specifier, context),
  });
}

/**
 * What Node's loader refuses and tsx compiles: enums, namespaces, parameter properties
 * (ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX), a role under node_modules, `./x.js` naming x.ts, a type
 * imported without `import type` (a SyntaxError at link time). Linking fails before any of the
 * role's code runs, and Node keeps no failed record: tsx then loads the same file.
 */
export function needsCompiler(e: unknown): boolean {
  if (e instanceof SyntaxError) return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('ERR_') || code === 'MODULE_NOT_FOUND');
}

/**
 * TypeScript roles load through tsx registered once for the process (its ES module and its
 * CommonJS loaders), not through tsImport: tsImport marks every module a role imports with its
 * own ?tsx-namespace=, so the engine's bundle was compiled again for every role (+1.2 s a run,
 * measured on cluster.yml) into module instances apart from the engine's.
 */
export function loadTypeScriptRoles(): Promise<void> {
  ready ??= (async () => {
    // from the sources, bin/quorum.js has registered tsx's ES module loader already
    if (!import.meta.url.endsWith('.ts')) (await import('tsx/esm/api')).register();
    (await import('tsx/cjs/api')).register();
    resolveEngineImports();
  })();
  return ready;
}

function resolveEngineImports(): void {
  const entries = engineEntryPoints();
  const urls = Object.fromEntries(Object.entries(entries).map(([name, e]) => [name, e.url]));
  module.register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: urls });
  const cjs = createRequire(import.meta.url)('node:module') as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, entries[request]?.path ?? request, ...rest);
  };
}
