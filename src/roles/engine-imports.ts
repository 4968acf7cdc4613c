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

// an ES module import of a mapped name keeps the importer's query: tsx marks the modules it
// loads for a tsImport() call with ?namespace=..., and compiles only those
const HOOK = `let map = {};
export function initialize(data) { map = data; }
export async function resolve(specifier, context, next) {
  const to = map[specifier];
  if (to === undefined) return next(specifier, context);
  const query = (context.parentURL ?? '').split('?')[1];
  return { url: query ? to + '?' + query : to, shortCircuit: true };
}`;

let installed = false;

export function resolveEngineImports(): void {
  if (installed) return;
  installed = true;
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
