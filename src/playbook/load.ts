/** Playbook file -> validated model. Every error is located before anything runs. */
import { dirname, resolve } from 'node:path';
import type { SourceLocation } from '../errors.ts';
import { roleSearchPath } from '../roles/registry.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { entryLocation, loadYaml, locationOf } from '../yaml/load.ts';
import { validator } from './ajv.ts';
import { ansibleRoleDir, expandAnsibleRole, type RoleExpansion } from './ansible-role.ts';
import { toInputError } from './errors.ts';
import type { Play, Playbook, PlayItem, RoleRef, TaskSpec } from './model.ts';
import { playbookSchema, playSchema } from './schema.ts';
import { type ListScope, parseTaskList } from './task-list.ts';
import { list } from './tasks.ts';
import { loadVarsFile, readText } from './vars-file.ts';

function roleRef(raw: unknown, where: SourceLocation): RoleRef {
  if (typeof raw === 'string') return { role: raw, params: {}, tags: [], location: where, paramsNode: {} };
  const r = raw as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r))
    if (!['role', 'name', 'tags', 'when', 'throttle'].includes(k)) params[k] = v;
  refuseJinja(params, (key) => entryLocation(r, key) ?? where);
  return {
    role: String(r.role),
    params,
    tags: list(r.tags),
    when: r.when,
    throttle: r.throttle as number | undefined,
    location: where,
    paramsNode: r,
  };
}

const asItem = (task: TaskSpec): PlayItem =>
  task.flushHandlers ? { kind: 'flush' } : { kind: 'task', task };

export function loadPlaybook(path: string, options: { rolesPath?: string[] } = {}): Playbook {
  const file = resolve(path);
  const fileLoc = { file };
  const doc = loadYaml(readText(file), file);
  const check = validator(playbookSchema);
  if (!check(doc)) {
    const keys = Object.keys(playSchema.properties);
    throw toInputError(check.errors ?? [], doc, fileLoc, (p) => (/^\/\d+$/.test(p) ? keys : []));
  }
  const dir = dirname(file);
  const searchPath = roleSearchPath({ playbookDir: dir, rolesPath: options.rolesPath });
  const plays = (doc as Record<string, unknown>[]).map((raw, index): Play => {
    const where = locationOf(raw) ?? fileLoc;
    const expansion: RoleExpansion = { searchPath, seen: new Set() };
    const roleHandlers: TaskSpec[] = [];
    const scope: ListScope = {
      dir,
      vars: {},
      environment: raw.environment as Record<string, unknown> | undefined,
      when: [],
      tags: [],
      depth: 0,
      includeRole: (r, s) => expandAnsibleRole(r, expansion, s),
    };
    const tasksOf = (key: string): TaskSpec[] => {
      const e = parseTaskList(raw[key] ?? [], entryLocation(raw, key) ?? where, scope);
      roleHandlers.push(...e.handlers);
      return e.tasks;
    };
    // an Ansible role becomes its tasks here; a TypeScript role stays a role node
    const roleItems = (ref: RoleRef): PlayItem[] => {
      if (!ansibleRoleDir(ref.role, searchPath)) return [{ kind: 'role', ref }];
      const when = ref.when === undefined ? [] : [ref.when].flat();
      // a role entry's keywords apply to every task of the role; `vars:` and the other keys are its params
      const {
        vars: own,
        become,
        become_user,
        environment,
        ...params
      } = ref.params as Record<string, unknown>;
      const e = expandAnsibleRole(
        {
          name: ref.role,
          vars: { ...params, ...((own as object) ?? {}) },
          when,
          tags: ref.tags,
          location: ref.location,
        },
        expansion,
        {
          ...scope,
          become: typeof become === 'boolean' ? become : scope.become,
          becomeUser: typeof become_user === 'string' ? become_user : scope.becomeUser,
          environment: environment ? { ...scope.environment, ...(environment as object) } : scope.environment,
        },
      );
      roleHandlers.push(...e.handlers);
      return e.tasks.map(asItem);
    };
    if (raw.vars) refuseJinja(raw.vars, (key) => entryLocation(raw.vars as object, key) ?? where);
    // playbook_dir: Ansible's magic variable (lookups find files beside the playbook through it)
    let vars = { playbook_dir: dir, ...((raw.vars as Record<string, unknown>) ?? {}) };
    for (const vf of (raw.vars_files as string[]) ?? [])
      vars = { ...vars, ...loadVarsFile(resolve(dir, vf)) };
    const roles = ((raw.roles as unknown[]) ?? []).map((r, i) =>
      roleRef(r, entryLocation(raw.roles as object, i) ?? where),
    );
    const items: PlayItem[] = [
      ...tasksOf('pre_tasks').map(asItem),
      ...roles.flatMap(roleItems),
      ...tasksOf('tasks').map(asItem),
      ...tasksOf('post_tasks').map(asItem),
    ];
    const handlers = [...tasksOf('handlers'), ...roleHandlers];
    const serial =
      raw.serial === undefined ? undefined : Array.isArray(raw.serial) ? raw.serial : [raw.serial];
    return {
      index,
      name: typeof raw.name === 'string' ? raw.name : `play ${index + 1}`,
      hosts: raw.hosts as string | string[],
      vars,
      items,
      handlers,
      serial: serial as Array<number | string> | undefined,
      maxFailPercentage: raw.max_fail_percentage as number | undefined,
      anyErrorsFatal: raw.any_errors_fatal === true,
      become: raw.become === true,
      becomeUser: raw.become_user as string | undefined,
      tags: list(raw.tags),
      gatherFacts: raw.gather_facts !== false,
      barrier: raw.barrier === true,
      location: where,
    };
  });
  return { file, dir, plays };
}
