/**
 * include_tasks / import_tasks / include_role / import_role in a task list. An import is static:
 * its keywords reach every task in it. An include is dynamic in ansible-core, and quorum keeps
 * its three rules although it reads the included tasks with the playbook (so validate sees
 * them): the include's own `when` is asked once, where it stands, not again of each included
 * task; its tags select the include, not the tasks in it (`apply: {tags}` gives them tags); a
 * loop runs the included tasks once per item, in order.
 */
import { dirname, join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { renderString } from '../template/render.ts';
import { entryLocation } from '../yaml/load.ts';
import { splitKeyValues } from './free-form.ts';
import { includeCandidates, readList } from './include-files.ts';
import {
  APPLY_KEYS,
  applyOf,
  childScope,
  type Expanded,
  finishTask,
  INHERITED,
  type ListScope,
  only,
  PASSED_DOWN,
  refusedInclude,
  STATIC_INHERITED,
} from './list-scope.ts';
import { LOOP_KEYWORDS } from './loops.ts';
import type { TaskSpec } from './model.ts';
import { list, parseTask } from './tasks.ts';

const fail = (message: string, where: SourceLocation | undefined, hint?: string): never => {
  throw new InputError('TASK', message, where, hint);
};

let gates = 0;

const loopKeysOf = (t: Record<string, unknown>) =>
  Object.keys(t).filter((k) => LOOP_KEYWORDS.includes(k) || k === 'loop_control');

/**
 * The scope of a dynamic include's tasks, and the task that stands where the include stood:
 * its gate (it asks the include's `when` once) or, for a loop, the looped include itself. In
 * a handlers list an include keeps the static reading (its keywords reach its tasks).
 */
interface Dynamic {
  inner: ListScope;
  head?: (included: string, tasks?: TaskSpec[]) => TaskSpec;
}

function dynamic(
  t: Record<string, unknown>,
  key: string,
  at: SourceLocation,
  scope: ListScope,
  apply: Record<string, unknown>,
  /** An unnamed include_role's name, as ansible-core's IncludeRole names it (`include_role : ROLE`). */
  unnamed?: string,
): Dynamic {
  const loops = loopKeysOf(t);
  if (scope.inHandlers) {
    if (loops.length) fail(`a loop on ${key} in handlers is not supported`, entryLocation(t, loops[0]));
    return { inner: childScope(childScope(scope, t), apply) };
  }
  // an include's own when, tags and PASSED_DOWN keywords are the include's: its tasks get them through apply
  const { when, tags, ...rest } = t;
  for (const k of PASSED_DOWN) delete rest[k];
  const inner = childScope(childScope(scope, rest), apply);
  inner.includeTags = [...(scope.includeTags ?? []), [...scope.tags, ...list(tags)]];
  const headOf = (extra: Partial<TaskSpec>) => {
    const fields = Object.fromEntries([...loops, 'when', 'vars'].map((k) => [k, t[k]]));
    const parsed = parseTask({ name: t.name ?? unnamed ?? key, tags, ...fields, debug: {} }, at);
    const task = finishTask(
      { ...parsed, module: key.replace(/^ansible\.builtin\./, ''), params: {}, ...extra },
      scope,
    );
    // that name is the task's whole name, without the role it is in
    return t.name === undefined && unnamed ? { ...task, name: unnamed } : task;
  };
  if (loops.length)
    return {
      inner,
      head: (included, tasks = []) => {
        const misplaced = tasks.find((x) => x.runOnce || x.endPlay || x.flushHandlers);
        if (misplaced)
          fail(
            'run_once, meta: end_play/end_batch and meta: flush_handlers are not supported in a looped include',
            misplaced.location,
          );
        return headOf({ included, includeLoop: tasks });
      },
    };
  if (when === undefined) return { inner };
  const variable = `quorum_include_${++gates}`;
  inner.when = [...inner.when, variable];
  inner.includeWhen = [...(scope.includeWhen ?? []), ...[when].flat()];
  inner.includeGuards = [...(scope.includeGuards ?? []), variable];
  return { inner, head: (included) => headOf({ included, includeGate: variable, defines: [variable] }) };
}

/** An include_tasks / import_tasks entry: its tasks (and handlers), where it stood. */
export function expandTaskInclude(
  t: Record<string, unknown>,
  key: string,
  at: SourceLocation,
  scope: ListScope,
  /** task-list.ts's reader, passed in: the included file is a task list of its own */
  parseTaskList: (raw: unknown, where: SourceLocation, scope: ListScope) => Expanded,
): Expanded {
  const isImport = key.endsWith('import_tasks');
  const loops = loopKeysOf(t);
  if (isImport && loops.length)
    fail(
      `import_tasks cannot have ${loops[0]}`,
      entryLocation(t, loops[0]),
      'include_tasks runs its file once per item (ansible-core refuses loops on imports too)',
    );
  only(
    t,
    [
      key,
      'args',
      ...INHERITED,
      ...(isImport ? STATIC_INHERITED : [...LOOP_KEYWORDS, 'loop_control', ...PASSED_DOWN]),
    ],
    key,
  );
  // `args: {apply: ..., file: ...}` is the same as giving them under the keyword
  const args = t.args && typeof t.args === 'object' ? (t.args as Record<string, unknown>) : undefined;
  const arg = args
    ? { ...(typeof t[key] === 'string' ? { file: t[key] } : (t[key] as object)), ...args }
    : t[key];
  const file = typeof arg === 'string' ? arg : String((arg as { file?: string })?.file ?? '');
  if (!file) fail(`${key} needs a file`, entryLocation(t, key));
  const apply = applyOf(arg, key, entryLocation(t, key) ?? at);
  const { inner: scoped, head } = isImport
    ? { inner: childScope(childScope(scope, t), apply), head: undefined }
    : dynamic(t, key, at, scope, apply);
  const out: Expanded = { tasks: [], handlers: [] };
  // a plain name from a file in a subfolder of tasks/ is found in the role's tasks/ (path_dwim_relative)
  const roleDir = scope.role
    ? [join(scope.role.dir, 'tasks'), scope.role.dir]
    : scope.playDir && scope.playDir !== scope.dir
      ? [scope.playDir]
      : [];
  // `{{ role_path }}/tasks/x.yml`: the role's folder is known where the role is read
  const named = scope.role ? file.replace(/\{\{\s*role_path\s*\}\}/g, scope.role.dir) : file;
  // a file a templated name can render to that is already being read (install-oss.yml's
  // `install-{{ os_family }}.yml` names itself) would only come in by a guard that cannot hold
  // without an endless include, in Ansible too: it is left out
  const reading = new Set([at.file, ...(scope.via ?? []).map((v) => v.file)]);
  for (const c of includeCandidates(named, scope.dir, entryLocation(t, key), roleDir)) {
    if (c.guard && reading.has(c.path)) continue;
    const inner = {
      ...scoped,
      when: c.guard ? [...scoped.when, c.guard] : scoped.when,
      // a file an include_tasks' template did not name was never included (an import's tasks were)
      includeGuards: c.guard && !isImport ? [...(scoped.includeGuards ?? []), c.guard] : scoped.includeGuards,
    };
    try {
      const e = parseTaskList(
        readList(c.path),
        { file: c.path },
        {
          ...inner,
          dir: dirname(c.path),
          depth: scope.depth + 1,
          via: [...(scope.via ?? []), entryLocation(t, key) ?? at],
        },
      );
      out.tasks.push(...e.tasks);
      out.handlers.push(...e.handlers);
    } catch (e) {
      // a file the include names only for some hosts (setup-FreeBSD.yml) that holds what quorum
      // lacks does not stop every host: the include fails, with the place, on a host that would run it
      // (a file named by a template, or included under a condition)
      // `when: true` guards nothing: the include runs on every host, so validate refuses it
      const unconditional = t.when === undefined || t.when === true || /^\s*true\s*$/i.test(String(t.when));
      if ((!c.guard && unconditional) || !(e instanceof InputError)) throw e;
      out.tasks.push(refusedInclude(e, c.path, inner));
    }
  }
  if (!head) return out;
  if (loops.length) return { tasks: [head(file, out.tasks)], handlers: out.handlers };
  return { tasks: [head(file), ...out.tasks], handlers: out.handlers };
}

/** What an include of a role inside a role gets (IncludeRole.get_include_params): its parents, nearest first. */
function parentRoles(scope: ListScope): Record<string, unknown> {
  if (!scope.role) return {};
  const list = (k: string) => (Array.isArray(scope.vars[k]) ? (scope.vars[k] as unknown[]) : []);
  return {
    ansible_parent_role_names: [scope.role.name, ...list('ansible_parent_role_names')],
    ansible_parent_role_paths: [scope.role.dir, ...list('ansible_parent_role_paths')],
  };
}

function withoutRoleNames(vars: Record<string, unknown>): Record<string, unknown> {
  const { role_name: _n, role_path: _p, ansible_role_name: _a, ...rest } = vars;
  return rest;
}

/** What include_role and import_role take (allow_duplicates is accepted: quorum runs each listed use). */
const ROLE_ARGS = [
  'name',
  'role',
  'tasks_from',
  'defaults_from',
  'vars_from',
  'handlers_from',
  'public',
  'allow_duplicates',
  'rolespec_validate',
];

/**
 * The arguments of include_role / import_role: a mapping or Ansible's `name=web tasks_from=x`
 * line; `name` (or its alias `role`) is required, as in ansible-core's IncludeRole.
 */
function roleArgs(given: unknown, key: string, at: SourceLocation): Record<string, unknown> {
  const arg = typeof given === 'string' ? splitKeyValues(given) : (given ?? {});
  if (arg === undefined || typeof arg !== 'object' || Array.isArray(arg))
    fail(
      `${key} takes a mapping or key=value words, not ${JSON.stringify(given)}`,
      at,
      `${key}: { name: ROLE }`,
    );
  const args = arg as Record<string, unknown>;
  if (args.name === undefined && args.role === undefined) fail(`'name' is a required field for ${key}`, at);
  return args;
}

/**
 * A flag of include_role written as a template (`public: "{{ __sr_public | default(false) }}"`):
 * decided when the playbook is read, with the vars of the includes around it (what it changes,
 * which tasks see the role's vars, is fixed then); a name it needs that is not known then is refused.
 */
function readTimeFlag(text: string, k: string, key: string, scope: ListScope, at: SourceLocation): unknown {
  try {
    const v = renderString(text, scope.vars);
    return typeof v === 'string' ? ['true', 'yes', 'on', '1'].includes(v.toLowerCase()) : Boolean(v);
  } catch (e) {
    return fail(
      `${key}'s ${k} is a template quorum decides when it reads the playbook, and ${(e as Error).message}`,
      at,
      `give ${k} as true or false, or through the include's vars`,
    );
  }
}

/** An include_role / import_role entry, with the same static and dynamic readings. */
export function expandRoleInclude(
  t: Record<string, unknown>,
  key: string,
  at: SourceLocation,
  scope: ListScope,
): Expanded {
  const isImport = key.endsWith('import_role');
  only(t, [key, ...INHERITED, ...PASSED_DOWN, ...(isImport ? [] : [...LOOP_KEYWORDS, 'loop_control'])], key);
  const arg = roleArgs(t[key], key, at);
  only(arg, [...ROLE_ARGS, ...(isImport ? [] : ['apply'])], key);
  const flags: Record<string, unknown> = {};
  for (const k of ['public', 'allow_duplicates', 'rolespec_validate']) {
    const given = arg[k];
    flags[k] =
      typeof given === 'string' && given.includes('{{') ? readTimeFlag(given, k, key, scope, at) : given;
    if (flags[k] !== undefined && typeof flags[k] !== 'boolean')
      fail(`${key}'s ${k} must be true or false`, entryLocation(arg, k) ?? at);
  }
  const apply = (arg.apply ?? {}) as Record<string, unknown>;
  if (typeof apply !== 'object' || Array.isArray(apply)) fail(`${key}'s apply must be a mapping`, at);
  only(apply, APPLY_KEYS, `${key}'s apply`);
  const { inner, head } = isImport
    ? { inner: childScope(scope, t), head: undefined }
    : dynamic(
        t,
        key,
        at,
        scope,
        apply,
        `${key.replace(/^ansible\.builtin\./, '')} : ${String(arg.name ?? arg.role)}`,
      );
  const name = String(arg.name ?? arg.role);
  const from = (k: string) => (arg[k] === undefined ? undefined : String(arg[k]));
  const expand = () =>
    scope.includeRole(
      {
        name,
        tasksFrom: from('tasks_from'),
        defaultsFrom: from('defaults_from'),
        varsFrom: from('vars_from'),
        handlersFrom: from('handlers_from'),
        // imports are public (their defaults and vars reach the whole play), includes private
        public: typeof flags.public === 'boolean' ? flags.public : isImport,
        included: !isImport,
        validate: flags.rolespec_validate !== false,
        // the including role's own names are not the included one's (role params outrank them)
        vars: { ...withoutRoleNames(inner.vars), ...parentRoles(scope) },
        when: inner.when,
        tags: inner.tags,
        location: at,
      },
      inner,
    );
  let e: Expanded;
  try {
    e = expand();
  } catch (err) {
    // as an include_tasks: a role included only for some hosts (prometheus' SELinux tasks, under
    // `when: selinux enabled`) that holds what quorum lacks fails there, on a host that reaches it
    const unconditional = t.when === undefined || t.when === true || /^\s*true\s*$/i.test(String(t.when));
    if (isImport || unconditional || !(err instanceof InputError)) throw err;
    e = { tasks: [refusedInclude(err, `role ${name}`, inner)], handlers: [] };
  }
  if (!head) return e;
  if (loopKeysOf(t).length) return { tasks: [head(`role ${name}`, e.tasks)], handlers: e.handlers };
  return { tasks: [head(`role ${name}`), ...e.tasks], handlers: e.handlers };
}
