/**
 * include_role's `name` written as a template that needs what only a host knows
 * (`"container-engine/{{ container_manager_role[container_manager] }}"`, kubespray): the role is
 * read once for every role of the roles path whose name the template can render to, each under
 * a guard that holds only where it renders to that name, as a templated tasks_from is
 * (role-tasks-from.ts): the role is chosen at run time, per host, as in ansible-core. A choice
 * that holds what quorum lacks fails only on a host that reaches it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nameExpression, templatePattern } from './include-files.ts';

/** How deep role folders are looked for under a roles path entry (`container-engine/containerd` is 2). */
const MAX_DEPTH = 3;
const ROLE_PARTS = ['tasks', 'defaults', 'vars', 'meta', 'handlers'];

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The role folders under `base`, by their names relative to it (`a`, `a/b`), up to MAX_DEPTH. */
function roleNamesUnder(base: string, prefix = '', depth = 1): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(base, prefix)).sort();
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const rel = prefix ? `${prefix}/${e}` : e;
    const dir = join(base, rel);
    if (e.startsWith('.') || !isDir(dir)) return [];
    const own = ROLE_PARTS.some((p) => isDir(join(dir, p))) ? [rel] : [];
    return depth < MAX_DEPTH ? [...own, ...roleNamesUnder(base, rel, depth + 1)] : own;
  });
}

export function roleNameChoices(
  template: string,
  searchPath: string[],
): Array<{ name: string; guard: string }> {
  const pattern = templatePattern(template);
  const expr = nameExpression(template);
  const names = [...new Set(searchPath.flatMap((base) => roleNamesUnder(base)))].filter((n) =>
    pattern.test(n),
  );
  return names.map((name) => ({ name, guard: `(${expr}) == ${JSON.stringify(name)}` }));
}
