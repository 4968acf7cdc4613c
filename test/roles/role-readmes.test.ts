/**
 * Every built-in role has a README whose parameter table is the one its schema gives
 * (`quorum roles show NAME` prints the same): names, types, defaults and descriptions cannot
 * drift from the code (keepalived's README showed the lab VIP as a default long after the
 * schema stopped having one).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { paramsTable } from '../../src/cli/roles-cmd.ts';
import { BUILTIN_ROLES, discoverRoles, loadRole } from '../../src/roles/registry.ts';

const roles = readdirSync(BUILTIN_ROLES).filter((n) => existsSync(join(BUILTIN_ROLES, n, 'index.ts')));

it.each(roles)('%s: README.md has the parameter table of its schema', async (name) => {
  const readme = join(BUILTIN_ROLES, name, 'README.md');
  expect(existsSync(readme), `${name} has no README.md`).toBe(true);
  const role = await loadRole(name, discoverRoles([BUILTIN_ROLES]));
  const blocks = readFileSync(readme, 'utf8').split('```');
  const table = blocks.find((b) => b.trimStart().startsWith('param '));
  expect(table?.trim(), `${name}: no parameter table`).toBe(paramsTable(role.params as never).trim());
});

it.each(roles)(
  '%s: a param with a default is not listed as required (a playbook may leave it out)',
  async (name) => {
    const role = await loadRole(name, discoverRoles([BUILTIN_ROLES]));
    const schema = role.params as { properties?: Record<string, { default?: unknown }>; required?: string[] };
    expect((schema.required ?? []).filter((k) => schema.properties?.[k]?.default !== undefined)).toEqual([]);
  },
);
