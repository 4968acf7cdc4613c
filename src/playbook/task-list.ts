/** A task list as Ansible writes it: blocks (with rescue and always), includes, meta tasks, tasks. */

import { formatLocation, InputError, type SourceLocation } from '../errors.ts';
import { entryLocation, locationOf } from '../yaml/load.ts';
import { expandTaskInclude } from './include-task.ts';
import { libraryDirsOf } from './library-task.ts';
import {
  childScope,
  type Expanded,
  finishTask,
  INHERITED,
  type ListScope,
  only,
  refusedGuardedTask,
  STATIC_INHERITED,
  withPassedDown,
} from './list-scope.ts';
import type { TaskSpec } from './model.ts';
import { expandRoleInclude } from './role-include.ts';
import { refuseConnectionVars } from './task-login.ts';
import { parseTask } from './tasks.ts';

export type { Expanded, ListScope, RoleInclude } from './list-scope.ts';

const fail = (message: string, where: SourceLocation | undefined, hint?: string): never => {
  throw new InputError('TASK', message, where, hint);
};
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
  // the block's tasks after a failure, and a rescue when nothing failed, are not reached: as in
  // Ansible they are neither run nor reported (a guard, not only a condition, says so)
  const reached = (when: string): ListScope => ({
    ...inner,
    when: [...inner.when, when],
    includeGuards: [...(inner.includeGuards ?? []), when],
  });
  const parse = (key: string, when: string | undefined, catches: boolean) => {
    const e = parseTaskList(t[key] ?? [], entryLocation(t, key) ?? at, when ? reached(when) : inner);
    for (const task of e.tasks) {
      if (catches) task.rescueBlock ??= id;
      if (key === 'rescue')
        task.defines = [...(task.defines ?? []), 'ansible_failed_task', 'ansible_failed_result'];
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
    // reached only when the block failed: it then fails the host; otherwise never reported
    out.tasks.push(finishTask(reraise, reached(`${failed} | default(false)`)));
  }
  return out;
}

const INCLUDE_TASKS = ['include_tasks', 'import_tasks'].flatMap((k) => [k, `ansible.builtin.${k}`]);
const INCLUDE_ROLE = ['include_role', 'import_role'].flatMap((k) => [k, `ansible.builtin.${k}`]);
const META = ['meta', 'ansible.builtin.meta'];
/** What a meta task's entry may hold besides its action. */
const META_KEYWORDS = ['name', 'when', 'tags', 'vars', 'delegate_to', 'run_once'];
/** The meta tasks that are steps of their own (flush_handlers and noop are not). */
const META_STEPS: Record<
  string,
  Pick<
    TaskSpec,
    | 'endHost'
    | 'endPlay'
    | 'resetConnection'
    | 'endRole'
    | 'clearFacts'
    | 'refreshInventory'
    | 'clearHostErrors'
  >
> = {
  end_host: { endHost: true },
  clear_facts: { clearFacts: true },
  clear_host_errors: { clearHostErrors: true },
  refresh_inventory: { refreshInventory: true },
  end_play: { endPlay: 'play' },
  end_batch: { endPlay: 'batch' },
  reset_connection: { resetConnection: true },
  end_role: { endRole: true },
};
const BLOCK_KEYS = [
  'block',
  'rescue',
  'always',
  ...INHERITED,
  ...STATIC_INHERITED,
  'notify',
  'module_defaults',
];

/** Includes past 20 deep: the loop they go round (each include's place), at the last include. */
function tooDeep(via: SourceLocation[], where: SourceLocation): never {
  const sites = via.map(formatLocation);
  const last = sites.at(-1);
  // from the include's previous visit to this one: the loop once
  const previous = last === undefined ? -1 : sites.lastIndexOf(last, sites.length - 2);
  const loop = previous >= 0 ? sites.slice(previous) : sites.slice(-3);
  return fail(`includes nest more than 20 deep, round the loop ${loop.join(' -> ')}`, via.at(-1) ?? where);
}

/** A task or include read, or, refused under a `when`, the task that fails where it would run. */
function guardedRefusal(t: unknown, at: SourceLocation, scope: ListScope, expand: () => Expanded): Expanded {
  try {
    return expand();
  } catch (e) {
    const refused = refusedGuardedTask(e, t, at, scope);
    if (!refused) throw e;
    return { tasks: [refused], handlers: [] };
  }
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
      refuseConnectionVars(t.vars, at);
      if ('rescue' in t || 'always' in t) {
        add(blockWithRescue(t, at, scope));
        continue;
      }
      add(parseTaskList(t.block, at, childScope(scope, t)));
      continue;
    }
    if (typeof entry === 'object' && entry && ('include' in t || 'ansible.builtin.include' in t))
      fail(
        "the 'include' action was removed from ansible-core (2.16): ansible-core 2.19 refuses it too",
        at,
        'write include_tasks (run when reached) or import_tasks (read before the run) instead',
      );
    const includeKey =
      typeof entry === 'object' && entry ? Object.keys(t).find((k) => INCLUDE_TASKS.includes(k)) : undefined;
    if (includeKey) {
      add(guardedRefusal(t, at, scope, () => expandTaskInclude(t, includeKey, at, scope, parseTaskList)));
      continue;
    }
    const roleKey =
      typeof entry === 'object' && entry ? Object.keys(t).find((k) => INCLUDE_ROLE.includes(k)) : undefined;
    if (roleKey) {
      add(guardedRefusal(t, at, scope, () => expandRoleInclude(t, roleKey, at, scope)));
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
        if (kind === 'end_role' && !scope.role)
          fail('meta: end_role is for the tasks of a role', entryLocation(t, metaKey) ?? at);
        // 2.19's strategy runs a meta task itself, once per host (once in all for those it runs
        // once): it never reads delegate_to or run_once there, so they change nothing
        const extra = Object.keys(t).find((k) => k !== metaKey && !META_KEYWORDS.includes(k));
        if (extra)
          fail(
            `meta: ${kind} takes name, when, tags and vars (and ignores delegate_to and run_once, as 2.19), not "${extra}"`,
            entryLocation(t, extra),
          );
        // ansible-core 2.19 warns and runs these anyway: a `when` would be read otherwise here
        if ((kind === 'refresh_inventory' || kind === 'reset_connection') && t.when !== undefined)
          fail(
            `meta: ${kind} does not take when (ansible-core 2.19 warns and ${kind === 'refresh_inventory' ? 'refreshes' : 'resets the connection'} anyway)`,
            entryLocation(t, 'when'),
          );
        const { [metaKey]: _, delegate_to: _to, run_once: _once, ...keys } = t;
        out.tasks.push({
          ...finishTask(parseTask({ name: `meta: ${kind}`, ...keys, debug: { msg: kind } }, at), scope),
          ...ending,
          meta: kind,
        });
        continue;
      }
      fail(
        `meta: ${String(t[metaKey])} is not supported`,
        entryLocation(t, metaKey),
        'quorum has meta: flush_handlers, end_host, end_play, end_batch, end_role, reset_connection, clear_facts, clear_host_errors, refresh_inventory and noop',
      );
    }
    const raw = entry && typeof entry === 'object' ? withPassedDown(t, scope) : entry;
    add(
      guardedRefusal(raw, at, scope, () => ({
        tasks: [
          finishTask(
            parseTask(raw, at, () => libraryDirsOf(scope)),
            scope,
          ),
        ],
        handlers: [],
      })),
    );
  }
  return out;
}
