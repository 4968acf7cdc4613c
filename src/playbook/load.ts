/** Playbook file -> validated model. Every error is located before anything runs. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { entryLocation, loadYaml, locationOf } from '../yaml/load.ts';
import { validator } from './ajv.ts';
import { toInputError } from './errors.ts';
import type { Play, Playbook, PlayItem, RoleRef, TaskSpec } from './model.ts';
import { playbookSchema, playSchema } from './schema.ts';
import { list, parseTask } from './tasks.ts';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new InputError('PLAYBOOK_MISSING', `cannot read ${file}`, undefined, 'check the path');
  }
}

export function loadVarsFile(file: string): Record<string, unknown> {
  const data = loadYaml(readText(file), file);
  if (data && typeof data === 'object')
    refuseJinja(data, (key) => entryLocation(data as object, key) ?? { file });
  if (data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(
      'VARS_FILE',
      'a vars file must hold a mapping',
      locationOf(data as object) ?? { file },
    );
  }
  return data as Record<string, unknown>;
}

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

export function loadPlaybook(path: string): Playbook {
  const file = resolve(path);
  const fileLoc = { file };
  const doc = loadYaml(readText(file), file);
  const check = validator(playbookSchema);
  if (!check(doc)) {
    const keys = Object.keys(playSchema.properties);
    throw toInputError(check.errors ?? [], doc, fileLoc, (p) => (/^\/\d+$/.test(p) ? keys : []));
  }
  const dir = dirname(file);
  const plays = (doc as Record<string, unknown>[]).map((raw, index): Play => {
    const where = locationOf(raw) ?? fileLoc;
    const tasksOf = (key: string): TaskSpec[] =>
      ((raw[key] as unknown[]) ?? []).map((t) => parseTask(t, entryLocation(raw, key) ?? where));
    if (raw.vars) refuseJinja(raw.vars, (key) => entryLocation(raw.vars as object, key) ?? where);
    let vars = { ...((raw.vars as Record<string, unknown>) ?? {}) };
    for (const vf of (raw.vars_files as string[]) ?? [])
      vars = { ...vars, ...loadVarsFile(resolve(dir, vf)) };
    const roles = ((raw.roles as unknown[]) ?? []).map((r, i) =>
      roleRef(r, entryLocation(raw.roles as object, i) ?? where),
    );
    const items: PlayItem[] = [
      ...tasksOf('pre_tasks').map((task) => ({ kind: 'task' as const, task })),
      ...roles.map((ref) => ({ kind: 'role' as const, ref })),
      ...tasksOf('tasks').map((task) => ({ kind: 'task' as const, task })),
      ...tasksOf('post_tasks').map((task) => ({ kind: 'task' as const, task })),
    ];
    const serial =
      raw.serial === undefined ? undefined : Array.isArray(raw.serial) ? raw.serial : [raw.serial];
    return {
      index,
      name: typeof raw.name === 'string' ? raw.name : `play ${index + 1}`,
      hosts: raw.hosts as string | string[],
      vars,
      items,
      handlers: tasksOf('handlers'),
      serial: serial as Array<number | string> | undefined,
      maxFailPercentage: raw.max_fail_percentage as number | undefined,
      anyErrorsFatal: raw.any_errors_fatal === true,
      become: raw.become === true,
      tags: list(raw.tags),
      gatherFacts: raw.gather_facts !== false,
      barrier: raw.barrier === true,
      location: where,
    };
  });
  return { file, dir, plays };
}
