/**
 * include_role's `name` written as a template that needs what only a host knows
 * (`"container-engine/{{ container_manager_role[container_manager] }}"`, kubespray): the role is
 * read once for every role of the roles path whose name the template can render to, each under
 * a guard that holds only where it renders to that name, as a templated tasks_from is
 * (role-tasks-from.ts): the role is chosen at run time, per host, as in ansible-core. A choice
 * that holds what quorum lacks fails only on a host that reaches it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { nameExpression, templatePattern } from './include-files.ts';

/** How deep role folders are looked for under a roles path entry (`container-engine/containerd` is 2). */
const MAX_DEPTH = 3;

/** The role folders under `base`, by their names relative to it (`a`, `a/b`), up to MAX_DEPTH. */
function roleNamesUnder(base: string, isRole: (dir: string) => boolean, prefix = '', depth = 1): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(base, prefix), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const rel = prefix ? `${prefix}/${e}` : e;
    const own = isRole(join(base, rel)) ? [rel] : [];
    return depth < MAX_DEPTH ? [...own, ...roleNamesUnder(base, isRole, rel, depth + 1)] : own;
  });
}

/** `isRole`: whether a folder is an Ansible role (ansible-role.ts's own test, ansibleRoleDir). */
export function roleNameChoices(
  template: string,
  searchPath: string[],
  isRole: (dir: string) => boolean,
): Array<{ name: string; guard: string }> {
  const pattern = templatePattern(template);
  const expr = nameExpression(template);
  const names = [...new Set(searchPath.flatMap((base) => roleNamesUnder(base, isRole)))].filter((n) =>
    pattern.test(n),
  );
  return names.map((name) => ({ name, guard: `(${expr}) == ${JSON.stringify(name)}` }));
}
