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
