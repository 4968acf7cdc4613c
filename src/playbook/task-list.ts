import { basename, dirname } from 'node:path';
import { formatLocation, InputError, type SourceLocation } from '../errors.ts';
import { entryLocation, locationOf } from '../yaml/load.ts';
import { includeCandidates, readList, varsFileKeys } from './include-files.ts';
import type { TaskSpec } from './model.ts';
import { list, parseTask } from './tasks.ts';

export interface ListScope {
  /** Folder of the file being read: relative includes start here. */
  dir: string;
  role?: { name: string; dir: string; defaults: Record<string, unknown> };
  vars: Record<string, unknown>;
  when: unknown[];
  tags: string[];
  become?: boolean;
  becomeUser?: string;
  environment?: Record<string, unknown>;
  /** A block's notify: every task of it notifies these handlers too. */
  notify?: string[];
  /** A block's or import's run_once and delegate_to, which its tasks inherit. */
  runOnce?: boolean;
  delegateTo?: string;
  depth: number;
  /** The includes that led here (include_tasks, import_tasks, include_role), outermost first. */
  via?: SourceLocation[];
  /** Expands an Ansible role by name (include_role, import_role). */
  includeRole: (ref: RoleInclude, scope: ListScope) => Expanded;
}
export interface RoleInclude {
  name: string;
  tasksFrom?: string;
  vars: Record<string, unknown>;
  when: unknown[];
  tags: string[];
  location: SourceLocation;
}
export interface Expanded {
  tasks: TaskSpec[];
  handlers: TaskSpec[];
}

/** The host variable that says a block's task failed: its remaining tasks skip, its rescue runs. */
export const blockFailedVar = (block: string) => `quorum_block_failed_${block}`;
let blocks = 0;

/**
 * block / rescue / always: a failure in the block is taken over (the host variable above is
 * set), the block's later tasks skip, the rescue runs; always runs either way. Without a
 * rescue, a last check fails the host after always, as Ansible re-raises the failure.
 */
function blockWithRescue(t: Record<string, unknown>, at: SourceLocation, scope: ListScope): Expanded {
  const id = String(++blocks);
  const failed = blockFailedVar(id);
  const inner = childScope(scope, t);
  const parse = (key: string, when: string | undefined, catches: boolean) => {
    const e = parseTaskList(
      t[key] ?? [],
      entryLocation(t, key) ?? at,
      when ? { ...inner, when: [...inner.when, when] } : inner,
    );
    for (const task of e.tasks) {
      if (catches) task.rescueBlock ??= id;
      if (key === 'rescue')
        task.defines = [...(task.defines ?? []), 'ansible_failed_task', 'ansible_failed_result'];
      if (t.ignore_errors === true) task.ignoreErrors = true;
    }
    return e;
  };
  const parts = [
    parse('block', `not (${failed} | default(false))`, true),
    parse('rescue', `${failed} | default(false)`, false),
    parse('always', undefined, false),
  ];
  const out: Expanded = { tasks: parts.flatMap((p) => p.tasks), handlers: parts.flatMap((p) => p.handlers) };
  if (!('rescue' in t)) {
    const reraise = parseTask(
      {
        name: 'block failed',
        assert: {
          that: [`not (${failed} | default(false))`],
          fail_msg: 'a task of the block failed (see above); its always section ran',
        },
      },
      at,
    );
    out.tasks.push(finishTask(reraise, inner));
  }
  return out;
}

const INCLUDE_TASKS = ['include_tasks', 'import_tasks', 'include'].flatMap((k) => [
  k,
  `ansible.builtin.${k}`,
]);
const INCLUDE_ROLE = ['include_role', 'import_role'].flatMap((k) => [k, `ansible.builtin.${k}`]);
const META = ['meta', 'ansible.builtin.meta'];
/** The meta tasks that are steps of their own (flush_handlers and noop are not). */
const META_STEPS: Record<string, Pick<TaskSpec, 'endHost' | 'endPlay' | 'resetConnection'>> = {
  end_host: { endHost: true },
  end_play: { endPlay: 'play' },
  end_batch: { endPlay: 'batch' },
  reset_connection: { resetConnection: true },
};
const INHERITED = ['name', 'when', 'tags', 'vars', 'become', 'become_user', 'become_method', 'environment'];
/** Keywords a block or an import_tasks passes to each task in it (an include_tasks passes them with `apply`). */
const STATIC_INHERITED = ['run_once', 'delegate_to'];
const BLOCK_KEYS = [
  'block',
  'rescue',
  'always',
  ...INHERITED,
  ...STATIC_INHERITED,
  'ignore_errors',
  'notify',
];
/** What `apply:` of an include_tasks may give the included tasks. */
const APPLY_KEYS = [
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

function only(raw: Record<string, unknown>, allowed: string[], what: string) {
  for (const k of Object.keys(raw))
    if (!allowed.includes(k)) fail(`${k} is not supported on ${what}`, entryLocation(raw, k));
}

function childScope(scope: ListScope, raw: Record<string, unknown>): ListScope {
  return {
    ...scope,
    vars: { ...scope.vars, ...((raw.vars as Record<string, unknown>) ?? {}) },
    when: raw.when === undefined ? scope.when : [...scope.when, ...[raw.when].flat()],
    tags: [...scope.tags, ...list(raw.tags)],
    become: typeof raw.become === 'boolean' ? raw.become : scope.become,
    becomeUser: typeof raw.become_user === 'string' ? raw.become_user : scope.becomeUser,
    environment: raw.environment
      ? { ...scope.environment, ...(raw.environment as object) }
      : scope.environment,
    notify: raw.notify === undefined ? scope.notify : [...(scope.notify ?? []), ...list(raw.notify)],
    runOnce: raw.run_once === true ? true : scope.runOnce,
    delegateTo: raw.delegate_to !== undefined ? String(raw.delegate_to) : scope.delegateTo,
  };
}

/** Where an include's file quorum cannot run would run: a task that fails there, saying why. */
function refusedInclude(e: InputError, path: string, scope: ListScope): TaskSpec {
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

function finishTask(task: TaskSpec, scope: ListScope): TaskSpec {
  const own = task.when === undefined ? [] : [task.when].flat();
  const when = [...scope.when, ...own];
  const role = scope.role;
  return {
    ...task,
    name: role ? `${role.name} : ${task.name}` : task.name,
    when: when.length === 0 ? undefined : when,
    tags: [...scope.tags, ...task.tags],
    vars: { ...scope.vars, ...task.vars },
    become: task.become ?? scope.become,
    becomeUser: task.becomeUser ?? scope.becomeUser,
    notify: scope.notify ? [...new Set([...task.notify, ...scope.notify])] : task.notify,
    runOnce: task.runOnce || scope.runOnce === true,
    delegateTo: task.delegateTo ?? scope.delegateTo,
    environment:
      scope.environment || task.environment ? { ...scope.environment, ...task.environment } : undefined,
    defaults: role?.defaults,
    searchDirs: role ? [role.dir] : undefined,
    defines: task.module === 'include_vars' ? varsFileKeys(role?.dir) : task.defines,
  };
}

/** include_tasks' `apply:` (keywords for the included tasks) and `file:`; anything else refused. */
function applyOf(arg: unknown, key: string, at: SourceLocation): Record<string, unknown> {
  if (arg === null || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  only(a, ['file', ...(key.endsWith('import_tasks') ? [] : ['apply'])], key);
  const apply = (a.apply ?? {}) as Record<string, unknown>;
  if (typeof apply !== 'object' || Array.isArray(apply)) fail(`${key}'s apply must be a mapping`, at);
  only(apply, APPLY_KEYS, `${key}'s apply`);
  return apply;
}

/** Includes past 20 deep: the loop they go round (each include's place), at the last include. */
function tooDeep(via: SourceLocation[], where: SourceLocation): never {
  const sites = via.map(formatLocation);
  const last = sites.at(-1);
  // from the include's previous visit to this one: the loop once
  const previous = last === undefined ? -1 : sites.lastIndexOf(last, sites.length - 2);
  const loop = previous >= 0 ? sites.slice(previous) : sites.slice(-3);
  return fail(`includes nest more than 20 deep, round the loop ${loop.join(' -> ')}`, via.at(-1) ?? where);
}

export function parseTaskList(raw: unknown, where: SourceLocation, scope: ListScope): Expanded {
  if (raw === null || raw === undefined) return { tasks: [], handlers: [] };
  if (!Array.isArray(raw)) return fail('a task list must be a list', locationOf(raw as object) ?? where);
  if (scope.depth > 20) tooDeep(scope.via ?? [], where);
  const out: Expanded = { tasks: [], handlers: [] };
  const add = (e: Expanded) => {
    out.tasks.push(...e.tasks);
    out.handlers.push(...e.handlers);
  };
  for (const entry of raw) {
    const at = (entry && typeof entry === 'object' && locationOf(entry)) || where;
    const t = (entry ?? {}) as Record<string, unknown>;
    if (typeof entry === 'object' && entry && 'block' in t) {
      only(t, BLOCK_KEYS, 'a block');
      if ('rescue' in t || 'always' in t) {
        add(blockWithRescue(t, at, scope));
        continue;
      }
      const block = parseTaskList(t.block, at, childScope(scope, t));
      if (t.ignore_errors === true) for (const task of block.tasks) task.ignoreErrors = true;
      add(block);
      continue;
    }
    const includeKey =
      typeof entry === 'object' && entry ? Object.keys(t).find((k) => INCLUDE_TASKS.includes(k)) : undefined;
    if (includeKey) {
      const isImport = includeKey.endsWith('import_tasks');
      only(t, [includeKey, ...INHERITED, ...(isImport ? STATIC_INHERITED : [])], includeKey);
      const arg = t[includeKey];
      const file = typeof arg === 'string' ? arg : String((arg as { file?: string })?.file ?? '');
      if (!file) fail(`${includeKey} needs a file`, entryLocation(t, includeKey));
      const apply = applyOf(arg, includeKey, entryLocation(t, includeKey) ?? at);
      for (const c of includeCandidates(file, scope.dir, entryLocation(t, includeKey))) {
        const inner = childScope(childScope(scope, t), apply);
        if (c.guard) inner.when = [...inner.when, c.guard];
        try {
          add(
            parseTaskList(
              readList(c.path),
              { file: c.path },
              {
                ...inner,
                dir: dirname(c.path),
                depth: scope.depth + 1,
                via: [...(scope.via ?? []), entryLocation(t, includeKey) ?? at],
              },
            ),
          );
        } catch (e) {
          // a file the include names only for some hosts (setup-FreeBSD.yml) that holds what quorum
          // lacks does not stop every host: the include fails, with the place, on a host that would run it
          // (a file named by a template, or included under a condition)
          // `when: true` guards nothing: the include runs on every host, so validate refuses it
          const unconditional =
            t.when === undefined || t.when === true || /^\s*true\s*$/i.test(String(t.when));
          if ((!c.guard && unconditional) || !(e instanceof InputError)) throw e;
          out.tasks.push(refusedInclude(e, c.path, inner));
        }
      }
      continue;
    }
    const roleKey =
      typeof entry === 'object' && entry ? Object.keys(t).find((k) => INCLUDE_ROLE.includes(k)) : undefined;
    if (roleKey) {
      only(t, [roleKey, ...INHERITED], roleKey);
      const arg = (t[roleKey] ?? {}) as Record<string, unknown>;
      only(arg, ['name', 'tasks_from'], roleKey);
      const inner = childScope(scope, t);
      add(
        scope.includeRole(
          {
            name: String(arg.name),
            tasksFrom: arg.tasks_from as string | undefined,
            vars: inner.vars,
            when: inner.when,
            tags: inner.tags,
            location: at,
          },
          inner,
        ),
      );
      continue;
    }
    const metaKey =
      typeof entry === 'object' && entry ? Object.keys(t).find((k) => META.includes(k)) : undefined;
    if (metaKey) {
      if (t[metaKey] === 'noop') continue;
      if (t[metaKey] === 'flush_handlers') {
        out.tasks.push({
          ...finishTask(parseTask({ name: 'flush handlers', debug: {} }, at), scope),
          flushHandlers: true,
        });
        continue;
      }
      const ending = META_STEPS[String(t[metaKey])];
      if (ending) {
        const kind = String(t[metaKey]);
        const extra = Object.keys(t).find((k) => k !== metaKey && !['name', 'when', 'tags'].includes(k));
        if (extra) fail(`meta: ${kind} takes name, when and tags, not "${extra}"`, entryLocation(t, extra));
        const { [metaKey]: _, ...keys } = t;
        out.tasks.push({
          ...finishTask(parseTask({ name: `meta: ${kind}`, ...keys, debug: { msg: kind } }, at), scope),
          ...ending,
        });
        continue;
      }
      fail(
        `meta: ${String(t[metaKey])} is not supported`,
        entryLocation(t, metaKey),
        'quorum has meta: flush_handlers, end_host, end_play, end_batch, reset_connection and noop',
      );
    }
    out.tasks.push(finishTask(parseTask(entry, at), scope));
  }
  return out;
}
