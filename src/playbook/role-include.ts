/**
 * include_role / import_role in a task list, read as include-task.ts reads include_tasks and
 * import_tasks: an import static, an include dynamic (its own when asked once, its tags its own,
 * a loop per item), its role expanded with the playbook so validate sees it.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { renderString } from '../template/render.ts';
import { entryLocation } from '../yaml/load.ts';
import { splitKeyValues } from './free-form.ts';
import { dynamic, fail, loopKeysOf } from './include-task.ts';
import {
  APPLY_KEYS,
  childScope,
  type Expanded,
  INHERITED,
  type ListScope,
  mayNotRun,
  only,
  PASSED_DOWN,
  refusedInclude,
} from './list-scope.ts';
import { LOOP_KEYWORDS } from './loops.ts';
import { refuseConnectionVars } from './task-login.ts';

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
  only(
    t,
    [
      key,
      ...INHERITED,
      ...PASSED_DOWN,
      ...(isImport ? [] : [...LOOP_KEYWORDS, 'loop_control', 'run_once']),
      ...(scope.inHandlers ? ['listen'] : []),
    ],
    key,
  );
  refuseConnectionVars(t.vars, at);
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
  // `{{ role_path }}/roles/rsyslog` (linux-system-roles' logging): the including role's folder is known here
  const given = String(arg.name ?? arg.role);
  const name = scope.role ? given.replace(/\{\{\s*role_path\s*\}\}/g, scope.role.dir) : given;
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
        // the task's collections: its role's own and meta ones, or the play's keyword
        searchList: scope.collections,
      },
      inner,
    );
  let e: Expanded;
  try {
    e = expand();
  } catch (err) {
    // as an include_tasks: a role included only for some hosts (prometheus' SELinux tasks, under
    // `when: selinux enabled`) that holds what quorum lacks fails there, on a host that reaches it
    if (isImport || !mayNotRun(t.when, scope) || !(err instanceof InputError)) throw err;
    e = { tasks: [refusedInclude(err, `role ${name}`, inner)], handlers: [] };
  }
  if (!head) return e;
  if (loopKeysOf(t).length) return { tasks: [head(`role ${name}`, e.tasks)], handlers: e.handlers };
  return { tasks: [head(`role ${name}`), ...e.tasks], handlers: e.handlers };
}
