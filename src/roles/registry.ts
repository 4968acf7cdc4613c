/**
 * Where roles come from: the built-in roles/ folder, `roles/` beside the playbook,
 * `--roles-path` and QUORUM_ROLES_PATH. A role is a folder with an index.ts whose default
 * export is a defineRole(...) value; it is loaded at run time, with no build step.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../errors.ts';
import { BUILTIN_ROLES, roleSearchPath } from '../playbook/role-path.ts';
import type { AnyRole } from './define.ts';
import { loadTypeScriptRoles } from './engine-imports.ts';

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

/**
 * A role's index.ts, through tsx (an ES module, or CommonJS in a folder whose package.json does
 * not say "type": "module"), the same under a test runner as in the CLI.
 */
async function importRoleModule(file: string): Promise<unknown> {
  await loadTypeScriptRoles();
  return import(pathToFileURL(file).href);
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
