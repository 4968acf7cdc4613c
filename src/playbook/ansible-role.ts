/**
 * Roles in Ansible's layout (tasks/main.yml, handlers/, defaults/, vars/, templates/, files/,
 * meta/main.yml dependencies), found in the same roles path as TypeScript roles; the first
 * folder of that name in the path wins, so a site's Ansible role shadows a built-in one.
 * An Ansible role becomes its tasks when the playbook is read (as import_role does): role
 * defaults below every other variable, role vars and role params above the play's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { loadYaml } from '../yaml/load.ts';
import type { Expanded, ListScope, RoleInclude } from './task-list.ts';
import { parseTaskList } from './task-list.ts';
import { loadVarsFile } from './vars-file.ts';

const yamlFile = (dir: string, name: string) =>
  [join(dir, `${name}.yml`), join(dir, `${name}.yaml`), join(dir, name)].find((f) => existsSync(f));

/** The folder of role `name` if the first one in the path is in Ansible's layout. */
/** An Ansible role's defaults/main and vars/main (a file, or nothing). */
export function ansibleRoleVars(dir: string): {
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
} {
  const read = (sub: string) => {
    const f = yamlFile(join(dir, sub), 'main');
    return f ? loadVarsFile(f) : {};
  };
  return { defaults: read('defaults'), vars: read('vars') };
}

export function ansibleRoleDir(name: string, searchPath: string[]): string | undefined {
  for (const base of searchPath) {
    const dir = join(base, name);
    if (!existsSync(dir)) continue;
    if (existsSync(join(dir, 'index.ts'))) return undefined;
    if (yamlFile(join(dir, 'tasks'), 'main') || yamlFile(join(dir, 'meta'), 'main')) return dir;
  }
  return undefined;
}

export interface RoleExpansion {
  searchPath: string[];
  /** Dependencies already expanded in this play (Ansible runs one once). */
  seen: Set<string>;
  /** The roles being expanded, outermost first: a dependency back onto one of them is a loop. */
  chain?: string[];
}

function dependencies(dir: string): Array<{ name: string; vars: Record<string, unknown>; when?: unknown }> {
  const meta = yamlFile(join(dir, 'meta'), 'main');
  if (!meta) return [];
  const doc = (loadYaml(readBoundedText(meta, 'the role meta file'), meta) ?? {}) as {
    dependencies?: unknown[];
  };
  return (doc.dependencies ?? []).map((d) => {
    if (typeof d === 'string') return { name: d, vars: {} };
    const { role, name, when, vars, ...params } = d as Record<string, unknown>;
    return { name: String(role ?? name), vars: { ...((vars as object) ?? {}), ...params }, when };
  });
}

/** An Ansible role's tasks and handlers, its dependencies' first. */
export function expandAnsibleRole(ref: RoleInclude, exp: RoleExpansion, outer?: ListScope): Expanded {
  const dir = ansibleRoleDir(ref.name, exp.searchPath);
  if (!dir)
    throw new InputError(
      'ROLE_UNKNOWN',
      `no Ansible role "${ref.name}" in the roles path (${exp.searchPath.join(', ')})`,
      ref.location,
      'a TypeScript role is listed under `roles:`, not included from tasks',
    );
  const out: Expanded = { tasks: [], handlers: [] };
  const chain = [...(exp.chain ?? []), ref.name];
  for (const dep of dependencies(dir)) {
    if (chain.includes(dep.name))
      // Ansible refuses it too ("A recursion loop was detected with the roles specified")
      throw new InputError(
        'SCHEMA',
        `a recursion loop was detected with the roles specified: ${[...chain, dep.name].join(' -> ')}`,
        { file: yamlFile(join(dir, 'meta'), 'main') ?? dir },
        'make sure child roles do not have dependencies on parent roles',
      );
    const key = `${dep.name}:${JSON.stringify(dep.vars)}`;
    if (exp.seen.has(key)) continue;
    exp.seen.add(key);
    const when = dep.when === undefined ? ref.when : [...ref.when, dep.when];
    const e = expandAnsibleRole(
      { ...ref, name: dep.name, tasksFrom: undefined, vars: dep.vars, when },
      { ...exp, chain },
    );
    out.tasks.push(...e.tasks);
    out.handlers.push(...e.handlers);
  }
  const { defaults, vars: own } = ansibleRoleVars(dir);
  const scope: ListScope = {
    dir: join(dir, 'tasks'),
    role: { name: ref.name, dir, defaults },
    vars: { ...(outer?.vars ?? {}), ...own, ...ref.vars, role_path: dir, role_name: ref.name },
    when: ref.when,
    tags: ref.tags,
    become: outer?.become,
    becomeUser: outer?.becomeUser,
    environment: outer?.environment,
    depth: (outer?.depth ?? 0) + 1,
    via: [...(outer?.via ?? []), ref.location],
    includeRole: (r, s) => expandAnsibleRole(r, exp, s),
  };
  const tasksFile = yamlFile(join(dir, 'tasks'), ref.tasksFrom ?? 'main');
  if (ref.tasksFrom && !tasksFile)
    throw new InputError('ROLE_UNKNOWN', `role ${ref.name} has no tasks/${ref.tasksFrom}`, ref.location);
  const where: SourceLocation = { file: tasksFile ?? dir };
  if (tasksFile) {
    const e = parseTaskList(loadYaml(readBoundedText(tasksFile, 'the task file'), tasksFile), where, scope);
    out.tasks.push(...e.tasks);
    out.handlers.push(...e.handlers);
  }
  const handlersFile = yamlFile(join(dir, 'handlers'), 'main');
  if (handlersFile) {
    const e = parseTaskList(
      loadYaml(readBoundedText(handlersFile, 'the handlers file'), handlersFile),
      { file: handlersFile },
      { ...scope, when: [], tags: [] },
    );
    out.handlers.push(...e.tasks.map((h) => ({ ...h, name: h.name.replace(`${ref.name} : `, '') })));
  }
  return out;
}
