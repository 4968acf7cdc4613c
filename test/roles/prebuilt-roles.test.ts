/**
 * The built-in roles as bin/build.mjs builds them (dist/roles/NAME.mjs, what the bundled CLI
 * loads without a TypeScript compiler) are the roles of the sources: the same name, params
 * schema, needs, throttle, what they publish and their handlers. Needs a build (npm ci runs one).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import type { AnyRole } from '../../src/roles/define.ts';
import { BUILTIN_ROLES, discoverRoles, loadRole } from '../../src/roles/registry.ts';

const DIST = join(BUILTIN_ROLES, '..', 'dist', 'roles');
const roles = readdirSync(BUILTIN_ROLES).filter((n) => existsSync(join(BUILTIN_ROLES, n, 'index.ts')));

const shape = (r: AnyRole) => ({
  name: r.name,
  params: JSON.stringify(r.params),
  needs: r.needs,
  throttle: r.throttle,
  publishes: r.publishes,
  handlers: Object.keys(r.handlers ?? {}),
});

it.runIf(existsSync(DIST)).each(roles)('%s: the built module is the role of the sources', async (name) => {
  const built = (await import(pathToFileURL(join(DIST, `${name}.mjs`)).href)).default as AnyRole;
  const source = await loadRole(name, discoverRoles([BUILTIN_ROLES]));
  expect(shape(built)).toEqual(shape(source));
});
