/**
 * The scope a task list is read in (its folder, role, inherited keywords) and what turns a parsed
 * task into one of the list: the keywords blocks and includes pass down, and how they reach it.
 */
import { basename } from 'node:path';
import { formatLocation, InputError, type SourceLocation } from '../errors.ts';
import { dirVarKeys, varsDir } from '../modules/include-vars-dir.ts';
import { copyLocations, entryLocation, locationOf } from '../yaml/load.ts';
import { environmentLevel, innerEnvironment } from './environment.ts';
import { namedVarsFileKeys, readList, varsFileKeys } from './include-files.ts';
import type { TaskSpec } from './model.ts';
import { moduleDefaults, withDefaults } from './module-defaults.ts';
import { ConnectionVarsRefused } from './task-login.ts';
import { KeywordInArguments } from './task-module.ts';
import { list, parseTask } from './tasks.ts';

export interface ListScope {
  /** Folder of the file being read: relative includes start here. */
  dir: string;
  /** The play's own folder: an include outside a role falls back to it (ansible-core's loader basedir). */
  playDir?: string;
  /** The collections a short module name is looked for in (a play's `collections`, a role's own and its meta's). */
  collections?: string[];
  /** The Ansible role being read; `instance` tells one use of it from another (meta: end_role). */
  role?: {
    name: string;
    dir: string;
    defaults: Record<string, unknown>;
    instance?: number;
    params?: Record<string, unknown>;
    /** The folders of the roles that include this one, nearest first: its files are looked for there too. */
    parentDirs?: string[];
  };
  vars: Record<string, unknown>;
  when: unknown[];
  tags: string[];
  become?: boolean;
  becomeUser?: string;
  environment?: Record<string, unknown>;
  /** The module_defaults of the blocks around, the innermost's parameters winning, by module. */
  moduleDefaults?: ReadonlyMap<string, Record<string, unknown>>;
  /** A block's notify: every task of it notifies these handlers too. */
  notify?: string[];
  /** A block's or import's run_once and delegate_to, which its tasks inherit. */
  runOnce?: boolean;
  /** The PASSED_DOWN keywords of the play, blocks and imports around, as written. */
  keywords?: Record<string, unknown>;
  delegateTo?: string;
  depth: number;
  /** The includes that led here (include_tasks, import_tasks, include_role), outermost first. */
  via?: SourceLocation[];
  /** Conditions and tags of the include_tasks around (see include-task.ts). */
  includeWhen?: unknown[];
  /** What decides whether the include_tasks around happened (its asked `when`, the file a template named). */
  includeGuards?: unknown[];
  includeTags?: string[][];
  /** A handlers list: an include there keeps the static reading. */
  inHandlers?: boolean;
  /**
   * In a handlers list, what the include_tasks / include_role around answers to (its name, its
   * `listen`): notified, its tasks run, as ansible-core's HandlerTaskInclude does.
   */
  handlerTopics?: string[];
  /** Expands an Ansible role by name (include_role, import_role). */
  includeRole: (ref: RoleInclude, scope: ListScope) => Expanded;
}
export interface RoleInclude {
  name: string;
  tasksFrom?: string;
  /** defaults_from, vars_from, handlers_from: another file of the role's folder than main. */
  defaultsFrom?: string;
  varsFrom?: string;
  handlersFrom?: string;
  /** Its defaults and vars reach every task of the play (roles:, import_role, include_role public: true). */
  public?: boolean;
  /** include_role (read here, run when reached), not an import. */
  included?: boolean;
  /** A role's dependency (meta/main.yml), not a role the play names. */
  dependency?: boolean;
  /** rolespec_validate: false skips the argument spec check. */
  validate?: boolean;
  vars: Record<string, unknown>;
  when: unknown[];
  tags: string[];
  location: SourceLocation;
  /** The collections a short name is looked for in before the roles path (the includer's). */
  searchList?: string[];
}
export interface Expanded {
  tasks: TaskSpec[];
  handlers: TaskSpec[];
}

export const INHERITED = [
  'name',
  'when',
  'tags',
  'vars',
  'become',
  'become_user',
  'become_method',
  'become_flags',
  'become_exe',
  'environment',
];
/**
 * Task keywords a play, a block or an import passes to each task in it that does not set them
 * itself (an include_tasks passes them with `apply`), as Ansible's parents pass attributes down.
 */
export const PASSED_DOWN = [
  'no_log',
  'check_mode',
  'diff',
  'ignore_errors',
  'throttle',
  'any_errors_fatal',
  'timeout',
  'ignore_unreachable',
];
/** Keywords a block or an import_tasks passes to each task in it (an include_tasks passes them with `apply`). */
export const STATIC_INHERITED = ['run_once', 'delegate_to', ...PASSED_DOWN];
/** What `apply:` of an include_tasks may give the included tasks. */
export const APPLY_KEYS = [
  'tags',
  'become',
  'become_user',
  'become_method',
  'environment',
  'vars',
  ...STATIC_INHERITED,
];

const fail = (message: string, where: SourceLocation | undefined, hint?: string): never => {
  throw new InputError('TASK', message, where, hint);
};

export function only(raw: Record<string, unknown>, allowed: string[], what: string) {
  for (const k of Object.keys(raw))
    if (!allowed.includes(k)) fail(`${k} is not supported on ${what}`, entryLocation(raw, k));
}

export function childScope(scope: ListScope, raw: Record<string, unknown>): ListScope {
  return {
    ...scope,
    vars: { ...scope.vars, ...((raw.vars as Record<string, unknown>) ?? {}) },
    when: raw.when === undefined ? scope.when : [...scope.when, ...[raw.when].flat()],
    tags: [...scope.tags, ...list(raw.tags)],
    become: typeof raw.become === 'boolean' ? raw.become : scope.become,
    becomeUser: typeof raw.become_user === 'string' ? raw.become_user : scope.becomeUser,
    environment: innerEnvironment(
      scope.environment,
      environmentLevel(raw.environment, entryLocation(raw, 'environment') ?? locationOf(raw)),
    ),
    notify: raw.notify === undefined ? scope.notify : [...(scope.notify ?? []), ...list(raw.notify)],
    runOnce: raw.run_once === true ? true : scope.runOnce,
    delegateTo: raw.delegate_to !== undefined ? String(raw.delegate_to) : scope.delegateTo,
    keywords: { ...scope.keywords, ...passedDown(raw) },
    moduleDefaults:
      raw.module_defaults === undefined
        ? scope.moduleDefaults
        : layered(scope.moduleDefaults, moduleDefaults(raw, locationOf(raw) ?? { file: scope.dir })),
  };
}

/** Inner module_defaults over outer ones, entry by entry. */
function layered(
  outer: ReadonlyMap<string, Record<string, unknown>> | undefined,
  inner: Map<string, Record<string, unknown>>,
): Map<string, Record<string, unknown>> {
  const out = new Map(outer);
  // a module's (or group's) entry replaces the outer one whole, as ansible-core's dict update
  // of the levels' module_defaults does: {mode} inside {state, mode} leaves state unset
  for (const [name, params] of inner) out.set(name, params);
  return out;
}

/** The PASSED_DOWN keywords a play, block or import writes. */
export function passedDown(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(PASSED_DOWN.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

/** A task as written, with the keywords around it that it does not set itself (its places kept). */
export function withPassedDown(raw: Record<string, unknown>, scope: ListScope): Record<string, unknown> {
  const missing = Object.entries(scope.keywords ?? {}).filter(([k]) => raw[k] === undefined);
  if (missing.length === 0) return raw;
  const out = { ...Object.fromEntries(missing), ...raw };
  copyLocations(raw, out);
  return out;
}

/** Where an include's file quorum cannot run would run: a task that fails there, saying why. */
export function refusedInclude(e: InputError, path: string, scope: ListScope): TaskSpec {
  const why = e
    .describe()
    .split('\n')[0]
    .replace(/^error: /, '');
  const task = finishTask(
    // the reason quotes the template it refused: printed as it is, not templated again
    parseTask(
      { name: `include of ${basename(path)} refused`, fail: { msg: `{% raw %}${why}{% endraw %}` } },
      { file: path },
    ),
    scope,
  );
  return { ...task, refused: why };
}

/** A Windows module (PowerShell, which quorum does not run): by its short name or its collection's. */
const WINDOWS_MODULE =
  /^(?:(?:ansible\.windows|community\.windows|chocolatey\.chocolatey|microsoft\.ad)\.\w+|win_\w+)$/;

/**
 * Some `when` over a task, its own or an enclosing block's, can be false: a task or include
 * refused there may never be reached on any host (`when: true` guards nothing).
 */
export function mayNotRun(own: unknown, scope: ListScope): boolean {
  return [...[own].flat(), ...scope.when].some(
    (c) => c !== undefined && c !== true && !/^\s*true\s*$/i.test(String(c)),
  );
}

/**
 * A task quorum cannot run, under a `when` (a role's branch for other hosts): a task that fails
 * where it would run, saying why, as a refused include does. Two kinds: a Windows module
 * (consul's handlers: win_service under when: ansible_os_family == "Windows"), and a task or
 * include whose vars reach the host another way (community.zabbix's zabbix_agent: its API
 * calls over `ansible_connection: httpapi`, when zabbix_api_create_hosts). Anything else is
 * `undefined`: the error stands.
 */
export function refusedGuardedTask(
  e: unknown,
  given: unknown,
  at: SourceLocation,
  scope: ListScope,
): TaskSpec | undefined {
  if (!(e instanceof InputError) || !given || typeof given !== 'object') return undefined;
  const raw = given as Record<string, unknown>;
  if (!mayNotRun(raw.when, scope)) return undefined;
  const windows = Object.keys(raw).find((k) => WINDOWS_MODULE.test(k));
  const connection = e instanceof ConnectionVarsRefused || e instanceof KeywordInArguments;
  if (!(windows && /^unknown module/.test(e.message)) && !connection) return undefined;
  const where = (windows && entryLocation(raw, windows)) || e.location || at;
  const why = windows
    ? `${formatLocation(where)}: ${windows} is a Windows (PowerShell) module, which quorum does not run`
    : `${formatLocation(where)}: ${e.message}`;
  const keywords = Object.fromEntries(
    Object.entries(raw).filter(([k]) => ['name', 'when', 'tags', 'ignore_errors'].includes(k)),
  );
  copyLocations(raw, keywords);
  const task = finishTask(
    parseTask({ ...keywords, fail: { msg: `{% raw %}${why}{% endraw %}` } }, at),
    scope,
  );
  return { ...task, refused: why, refusedModule: true };
}

/** Tasks numbered in the order the playbook is read. */
let taskSeq = 0;
export const readSoFar = () => taskSeq;

export function finishTask(task: TaskSpec, scope: ListScope): TaskSpec {
  const own = task.when === undefined ? [] : [task.when].flat();
  const when = [...scope.when, ...own];
  const role = scope.role;
  return {
    ...task,
    params: withDefaults(task.module, task.params, scope.moduleDefaults),
    seq: ++taskSeq,
    name: role ? `${role.name} : ${task.name}` : task.name,
    when: when.length === 0 ? undefined : when,
    tags: [...scope.tags, ...task.tags],
    vars: { ...scope.vars, ...task.vars },
    become: task.become ?? scope.become,
    becomeUser: task.becomeUser ?? scope.becomeUser,
    notify: scope.notify ? [...new Set([...task.notify, ...scope.notify])] : task.notify,
    listen: scope.handlerTopics ? [...new Set([...task.listen, ...scope.handlerTopics])] : task.listen,
    runOnce: task.runOnce || scope.runOnce === true,
    delegateTo: task.delegateTo ?? scope.delegateTo,
    environment: innerEnvironment(scope.environment, task.environment),
    defaults: role?.defaults,
    roleParams: role?.params && Object.keys(role.params).length ? role.params : undefined,
    searchDirs: role ? [role.dir, ...(role.parentDirs ?? [])] : undefined,
    // include_vars defines its file's keys, or the one name it is given (`name: os_vars`)
    defines:
      task.module === 'include_vars'
        ? typeof task.params.name === 'string'
          ? [task.params.name]
          : typeof task.params.dir === 'string'
            ? dirVarKeys(varsDir(task.params.dir, [scope.dir], role?.dir), readList)
            : (namedVarsFileKeys(task.params.file, role ? [role.dir, scope.dir] : [scope.dir]) ??
              varsFileKeys(role?.dir))
        : task.defines,
    roleInstance: role?.instance,
    includeWhen: scope.includeWhen,
    includeGuards: scope.includeGuards,
    includeTags: scope.includeTags,
  };
}

/** include_tasks' `apply:` (keywords for the included tasks) and `file:`; anything else refused. */
export function applyOf(arg: unknown, key: string, at: SourceLocation): Record<string, unknown> {
  if (arg === null || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  only(a, ['file', ...(key.endsWith('import_tasks') ? [] : ['apply'])], key);
  const apply = (a.apply ?? {}) as Record<string, unknown>;
  if (typeof apply !== 'object' || Array.isArray(apply)) fail(`${key}'s apply must be a mapping`, at);
  only(apply, APPLY_KEYS, `${key}'s apply`);
  return apply;
}
