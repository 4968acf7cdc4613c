import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { readBoundedText } from '../input-file.ts';
import { addPluginDirsOf } from '../template/jinja/python-filters.ts';
import { loadYaml } from '../yaml/load.ts';
import { readSoFar, refusedInclude } from './list-scope.ts';
import type { PlayRoleNames } from './model.ts';
import { argumentSpecTask } from './role-argspec.ts';
import {
  ansibleRoleDir,
  ansibleRoleVars,
  collectionOf,
  findAnsibleRole,
  shortName,
  yamlFile,
} from './role-files.ts';
import { roleNameChoices } from './role-name-choices.ts';
import { tasksFromChoices } from './role-tasks-from.ts';
import type { Expanded, ListScope, RoleInclude } from './task-list.ts';
import { parseTaskList } from './task-list.ts';

/** Each use of a role, numbered: meta: end_role ends that one. */
let roleInstances = 0;

export interface RoleExpansion {
  searchPath: string[];
  /** Installed collections' ansible_collections/ folders (role-path.ts collectionRoots). */
  collections?: string[];
  /** Dependencies already expanded in this play (Ansible runs one once). */
  seen: Set<string>;
  /** The roles being expanded, outermost first: a dependency back onto one of them is a loop. */
  chain?: string[];
  /** The defaults and vars of the play's public roles, in the order they were met. */
  exported?: Array<{ defaults: Record<string, unknown>; vars: Record<string, unknown>; after?: number }>;
  /** The play's roles as ansible-core's play.roles holds them (magic variables). */
  roleNames?: PlayRoleNames;
  /** Where a dependency's own dependencies are listed (its parent's list). */
  dependencyNames?: string[];
  /** The playbook's folder, in searchPath: a dependency is also looked for beside its parent, before it. */
  playbookDir?: string;
  /** The play's search path, without any parent's folder (a dependency's searchPath has its parent's). */
  playSearchPath?: string[];
}

/**
 * Where a dependency of the role in `parentDir` is looked for: ansible-core's search path with
 * the parent's own folder before the playbook's (RoleMetadata's current_role_path), so that
 * `kubernetes-apps/policy_controller` finds its `policy_controller/calico` beside it.
 */
function dependencySearchPath(exp: RoleExpansion, parentDir: string): string[] {
  const base = exp.playSearchPath ?? exp.searchPath;
  const beside = dirname(parentDir);
  if (base.includes(beside)) return base;
  const at = exp.playbookDir === undefined ? -1 : base.indexOf(resolve(exp.playbookDir));
  const path = [...base];
  path.splice(at < 0 ? path.length : at, 0, beside);
  return path;
}

/** The collections a role's short module names are looked for in: its own, then its meta/main.yml `collections`. */
function roleCollections(dir: string): string[] {
  const own = /[\\/]ansible_collections[\\/]([^\\/]+)[\\/]([^\\/]+)[\\/]roles[\\/]/.exec(dir);
  const meta = yamlFile(join(dir, 'meta'));
  const doc = meta
    ? ((loadYaml(readBoundedText(meta, 'the role meta file'), meta) ?? {}) as { collections?: unknown })
    : {};
  const listed = Array.isArray(doc.collections)
    ? doc.collections.filter((c): c is string => typeof c === 'string')
    : [];
  return [...(own ? [`${own[1]}.${own[2]}`] : []), ...listed];
}

function dependencies(dir: string): Array<{ name: string; vars: Record<string, unknown>; when?: unknown }> {
  const meta = yamlFile(join(dir, 'meta'));
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
export function expandAnsibleRole(given: RoleInclude, exp: RoleExpansion, outer?: ListScope): Expanded {
  const found = findAnsibleRole(given.name, exp.searchPath, exp.collections, given.searchList);
  // found through the collection search list: the role is its collection's (ansible_role_name)
  const ref = found ? { ...given, name: found.name } : given;
  // role_path as ansible-core's RoleDefinition makes it: unfrackpath, links resolved
  const dir = found && realpathSync(found.dir);
  if (!dir && ref.included && ref.name.includes('{{') && outer) return eachRoleName(ref, exp, outer);
  if (!dir)
    throw new InputError(
      'ROLE_UNKNOWN',
      `no Ansible role "${ref.name}" in the roles path (${exp.searchPath.join(', ')})`,
      ref.location,
      'a TypeScript role is listed under `roles:`, not included from tasks',
    );
  if (ref.tasksFrom?.includes('{{')) return eachTasksFrom(ref, dir, exp, outer);
  const out: Expanded = { tasks: [], handlers: [] };
  const chain = [...(exp.chain ?? []), ref.name];
  const depNames: string[] = [];
  // short module and role names: the role's own collection, then those its meta names (not the play's)
  const ownCollections = roleCollections(dir);
  // an included role is in play.roles for its own tasks on (IncludeRole adds it when it runs)
  const start = readSoFar();
  for (const dep of dependencies(dir)) {
    // Role.get_all_dependencies lists a dependency however often it is met
    depNames.push(dep.name);
    if (chain.includes(dep.name))
      // Ansible refuses it too ("A recursion loop was detected with the roles specified")
      throw new InputError(
        'SCHEMA',
        `a recursion loop was detected with the roles specified: ${[...chain, dep.name].join(' -> ')}`,
        { file: yamlFile(join(dir, 'meta')) ?? dir },
        'make sure child roles do not have dependencies on parent roles',
      );
    const key = `${dep.name}:${JSON.stringify(dep.vars)}`;
    if (exp.seen.has(key)) continue;
    exp.seen.add(key);
    const when = dep.when === undefined ? ref.when : [...ref.when, dep.when];
    const e = expandAnsibleRole(
      {
        ...ref,
        name: dep.name,
        tasksFrom: undefined,
        defaultsFrom: undefined,
        varsFrom: undefined,
        handlersFrom: undefined,
        vars: dep.vars,
        dependency: true,
        when,
        // RoleMetadata looks its dependencies up in the role's collections first
        searchList: ownCollections,
      },
      {
        ...exp,
        searchPath: dependencySearchPath(exp, dir),
        playSearchPath: exp.playSearchPath ?? exp.searchPath,
        chain,
        dependencyNames: depNames,
      },
    );
    out.tasks.push(...e.tasks);
    out.handlers.push(...e.handlers);
  }
  const { defaults, vars: own } = ansibleRoleVars(dir, {
    defaults: ref.defaultsFrom,
    vars: ref.varsFrom,
    location: ref.location,
  });
  // a public role's defaults and vars reach the play's tasks (load.ts): an import's every task, a
  // public include_role's the tasks read after it (it exposes them when it runs)
  const exported = ref.public ? { defaults, vars: own, after: undefined as number | undefined } : undefined;
  if (exported) exp.exported?.push(exported);
  const scope: ListScope = {
    dir: join(dir, 'tasks'),
    role: {
      name: ref.name,
      dir,
      defaults,
      instance: ++roleInstances,
      params: ref.vars,
      // as a task's search path in ansible-core: the included role's, then its includers' (dep chain)
      parentDirs: outer?.role ? [outer.role.dir, ...(outer.role.parentDirs ?? [])] : undefined,
    },
    vars: {
      ...(outer?.vars ?? {}),
      ...own,
      ...ref.vars,
      role_path: dir,
      role_name: shortName(ref.name),
      ansible_role_name: ref.name,
      ansible_collection_name: collectionOf(ref.name),
    },
    when: ref.when,
    tags: ref.tags,
    become: outer?.become,
    becomeUser: outer?.becomeUser,
    environment: outer?.environment,
    keywords: outer?.keywords,
    includeWhen: outer?.includeWhen,
    includeTags: outer?.includeTags,
    includeGuards: outer?.includeGuards,
    depth: (outer?.depth ?? 0) + 1,
    via: [...(outer?.via ?? []), ref.location],
    includeRole: (r, s) => expandAnsibleRole(r, exp, s),
    playDir: outer?.playDir,
    collections: ownCollections,
  };
  addPluginDirsOf(dir);
  const tasksFile = yamlFile(join(dir, 'tasks'), ref.tasksFrom ?? 'main');
  if (ref.tasksFrom && !tasksFile)
    throw new InputError('ROLE_UNKNOWN', `role ${ref.name} has no tasks/${ref.tasksFrom}`, ref.location);
  const where: SourceLocation = { file: tasksFile ?? dir };
  const check =
    ref.validate === false ? undefined : argumentSpecTask(dir, ref.tasksFrom ?? 'main', ref.vars, yamlFile);
  const data = tasksFile ? loadYaml(readBoundedText(tasksFile, 'the task file'), tasksFile) : undefined;
  if (check || data) {
    const list =
      Array.isArray(data) || data == null
        ? [...(check ? [check] : []), ...((data as unknown[]) ?? [])]
        : data;
    const e = parseTaskList(list, where, scope);
    out.tasks.push(...e.tasks);
    out.handlers.push(...e.handlers);
  }
  const handlersFile = yamlFile(join(dir, 'handlers'), ref.handlersFrom ?? 'main');
  if (ref.handlersFrom && !handlersFile)
    throw new InputError(
      'ROLE_UNKNOWN',
      `Could not find specified file in role: handlers/${ref.handlersFrom}`,
      ref.location,
    );
  if (handlersFile) {
    const e = parseTaskList(
      loadYaml(readBoundedText(handlersFile, 'the handlers file'), handlersFile),
      { file: handlersFile },
      {
        ...scope,
        dir: join(dir, 'handlers'),
        when: [],
        tags: [],
        includeWhen: undefined,
        includeTags: undefined,
        inHandlers: true,
      },
    );
    out.handlers.push(
      ...e.tasks.map((h) => ({ ...h, name: h.name.replace(`${ref.name} : `, ''), handlerOf: ref.name })),
    );
  }
  if (exported && ref.included) exported.after = readSoFar();
  if (ref.dependency) exp.dependencyNames?.push(...depNames);
  else if (ref.included)
    exp.roleNames?.included.push({ after: start, role: ref.name, dependencies: depNames });
  else if (exp.roleNames) {
    exp.roleNames.play.push(ref.name);
    exp.roleNames.dependent.push(...depNames);
  }
  return out;
}

/** A templated include_role name: each role it can name, under its guard (role-name-choices.ts). */
function eachRoleName(ref: RoleInclude, exp: RoleExpansion, outer: ListScope): Expanded {
  const choices = roleNameChoices(ref.name, exp.searchPath, (dir) => ansibleRoleDir(dir, []) !== undefined);
  if (!choices.length)
    throw new InputError(
      'ROLE_UNKNOWN',
      `no Ansible role of the roles path can be ${ref.name} (${exp.searchPath.join(', ')})`,
      ref.location,
    );
  const out: Expanded = { tasks: [], handlers: [] };
  for (const c of choices) {
    // a role not chosen for a host was never included there: neither run nor reported
    const guarded = { ...outer, includeGuards: [...(outer.includeGuards ?? []), c.guard] };
    try {
      const e = expandAnsibleRole({ ...ref, name: c.name }, exp, guarded);
      out.tasks.push(...e.tasks);
      out.handlers.push(...e.handlers);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      out.tasks.push(refusedInclude(err, `role ${c.name}`, guarded));
    }
  }
  return out;
}

/** A templated tasks_from: the role once per tasks file it can name, each under its guard; its handlers once. */
function eachTasksFrom(ref: RoleInclude, dir: string, exp: RoleExpansion, outer?: ListScope): Expanded {
  const choices = tasksFromChoices(dir, ref.tasksFrom as string);
  if (!choices.length)
    throw new InputError(
      'ROLE_UNKNOWN',
      `no file of role ${ref.name}'s tasks/ can be tasks_from ${ref.tasksFrom}`,
      ref.location,
    );
  const out: Expanded = { tasks: [], handlers: [] };
  for (const [i, c] of choices.entries()) {
    const e = expandAnsibleRole({ ...ref, tasksFrom: c.name, when: [...ref.when, c.guard] }, exp, outer);
    out.tasks.push(...e.tasks);
    if (i === 0) out.handlers.push(...e.handlers);
  }
  return out;
}
