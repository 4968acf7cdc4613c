/**
 * Where roles come from: the built-in roles/ folder, `roles/` beside the playbook,
 * `--roles-path` and QUORUM_ROLES_PATH. A role is a folder with an index.ts whose default
 * export is a defineRole(...) value; it is loaded at run time, with no build step (the built-in
 * roles come prebuilt with the bundle).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { BUILTIN_ROLES, roleSearchPath } from '../playbook/role-path.ts';
import type { AnyRole } from './define.ts';
import { hookEngineImports, loadTypeScriptRoles, needsCompiler, nodeLoadsRoles } from './engine-imports.ts';

export { BUILTIN_ROLES, roleSearchPath };

/** Role name -> folder, first folder in the search path wins (site roles shadow built-ins). */
export function discoverRoles(searchPath: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of searchPath) {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || found.has(entry.name)) continue;
      if (existsSync(join(dir, entry.name, 'index.ts'))) found.set(entry.name, join(dir, entry.name));
    }
  }
  return found;
}

const loaded = new Map<string, AnyRole>();
/** How each role folder's code was loaded: `quorum roles show` says it. */
const loadedBy = new Map<string, RoleLoader>();

export type RoleLoader = 'bundle' | 'node' | 'tsx';

export function roleLoader(dir: string): RoleLoader | undefined {
  return loadedBy.get(dir);
}

/**
 * A role's index.ts: built-in roles from the bundle; others by Node itself where it strips
 * types, else (or when the role uses what stripping cannot do) through tsx, as an ES module or
 * CommonJS in a folder whose package.json does not say "type": "module".
 */
async function importRoleModule(file: string): Promise<unknown> {
  const built = prebuiltRole(file);
  const dir = dirname(file);
  if (built) {
    loadedBy.set(dir, 'bundle');
    return import(pathToFileURL(built).href);
  }
  if (nodeLoadsRoles()) {
    hookEngineImports();
    try {
      const mod = await import(pathToFileURL(file).href);
      loadedBy.set(dir, 'node');
      return mod;
    } catch (e) {
      if (!needsCompiler(e)) throw e;
    }
  }
  await loadTypeScriptRoles();
  loadedBy.set(dir, 'tsx');
  return import(pathToFileURL(file).href);
}

let newestRoleSource: number | undefined;

function newestIn(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestIn(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * A built-in role as bin/build.mjs built it (dist/roles/NAME.mjs), when the engine itself runs
 * from its bundle and no role source is newer: loading it needs no TypeScript compiler (tsx's
 * loaders cost ~0.3 s of every start). From the sources, or with a role edited, its index.ts.
 */
function prebuiltRole(file: string): string | undefined {
  if (import.meta.url.endsWith('.ts') || dirname(dirname(file)) !== BUILTIN_ROLES) return undefined;
  const built = join(PROJECT_ROOT, 'dist', 'roles', `${basename(dirname(file))}.mjs`);
  try {
    newestRoleSource ??= newestIn(BUILTIN_ROLES);
    return statSync(built).mtimeMs >= newestRoleSource ? built : undefined;
  } catch {
    return undefined;
  }
}

export async function loadRole(name: string, roles: Map<string, string>): Promise<AnyRole> {
  const dir = roles.get(name);
  if (!dir) {
    throw new InputError(
      'ROLE_UNKNOWN',
      `unknown role "${name}"`,
      undefined,
      `known roles: ${[...roles.keys()].sort().join(', ') || '(none)'}`,
    );
  }
  const cached = loaded.get(dir);
  if (cached) return cached;
  const mod = (await importRoleModule(join(dir, 'index.ts'))) as {
    default?: AnyRole & { default?: AnyRole };
  };
  // outside an ESM package tsx compiles the file as CommonJS: the role is then default.default
  const def = mod.default?.default ?? mod.default;
  if (!def || typeof def.run !== 'function' || !def.params) {
    throw new InputError(
      'ROLE_INVALID',
      `${join(dir, 'index.ts')} must export default defineRole({ name, params, run })`,
    );
  }
  if (def.name !== name) {
    throw new InputError('ROLE_INVALID', `role folder "${name}" exports a role named "${def.name}"`, {
      file: join(dir, 'index.ts'),
    });
  }
  const role = { ...def, dir };
  loaded.set(dir, role);
  return role;
}
