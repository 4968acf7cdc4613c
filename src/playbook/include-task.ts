/**
 * include_tasks / import_tasks in a task list (include_role / import_role: role-include.ts, with
 * the same readings). An import is static:
 * its keywords reach every task in it. An include is dynamic in ansible-core, and quorum keeps
 * its three rules although it reads the included tasks with the playbook (so validate sees
 * them): the include's own `when` is asked once, where it stands, not again of each included
 * task; its tags select the include, not the tasks in it (`apply: {tags}` gives them tags); a
 * loop runs the included tasks once per item, in order.
 */
import { basename, dirname, join } from 'node:path';
import { InputError, type SourceLocation } from '../errors.ts';
import { renderString } from '../template/render.ts';
import { entryLocation } from '../yaml/load.ts';
import { includeCandidates, readList } from './include-files.ts';
import {
  applyOf,
  childScope,
  type Expanded,
  finishTask,
  INHERITED,
  type ListScope,
  mayNotRun,
  only,
  PASSED_DOWN,
  refusedInclude,
  STATIC_INHERITED,
} from './list-scope.ts';
import { LOOP_KEYWORDS } from './loops.ts';
import type { TaskSpec } from './model.ts';
import { refuseConnectionVars } from './task-login.ts';
import { list, parseTask } from './tasks.ts';

export const fail = (message: string, where: SourceLocation | undefined, hint?: string): never => {
  throw new InputError('TASK', message, where, hint);
};

let gates = 0;

export const loopKeysOf = (t: Record<string, unknown>) =>
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

/** How many times a file may be open in its own include chain (kubespray's retry needs 11). */
const SELF_INCLUDE_DEPTH = 12;

export function dynamic(
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
    const inner = childScope(childScope(scope, t), apply);
    const answers = [...(typeof t.name === 'string' ? [t.name] : []), ...list(t.listen)];
    inner.handlerTopics = [...(scope.handlerTopics ?? []), ...answers];
    return { inner };
  }
  // an include's own when, tags, run_once and PASSED_DOWN keywords are the include's: its tasks
  // get them through apply (run_once: the include happens on the batch's first host only)
  const { when, tags, run_once: runOnce, ...rest } = t;
  for (const k of PASSED_DOWN) delete rest[k];
  const inner = childScope(childScope(scope, rest), apply);
  inner.includeTags = [...(scope.includeTags ?? []), [...scope.tags, ...list(tags)]];
  const headOf = (extra: Partial<TaskSpec>) => {
    const fields = Object.fromEntries(
      [...loops, 'when', 'vars', 'run_once', 'register'].map((k) => [k, t[k]]),
    );
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
        const misplaced = tasks.find((x) => x.endPlay);
        if (misplaced)
          fail('meta: end_play/end_batch is not supported in a looped include', misplaced.location);
        return headOf({ included, includeLoop: tasks });
      },
    };
  const variable = `quorum_include_${++gates}`;
  // no condition of its own, nor of a block around it: the head only reports (a block's false
  // condition gates it like its own, so its tasks are not included, as in Ansible, not skipped)
  if (when === undefined && runOnce === undefined && scope.when.length === 0)
    return {
      inner,
      head: (included) => headOf({ included, includeGate: variable, defines: [variable], reportsOnly: true }),
    };
  inner.when = [...inner.when, variable];
  inner.includeWhen = [...(scope.includeWhen ?? []), ...(when === undefined ? [] : [when].flat())];
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
      ...(isImport
        ? STATIC_INHERITED
        : [...LOOP_KEYWORDS, 'loop_control', 'run_once', 'register', ...PASSED_DOWN]),
      // in handlers, as ansible-core 2.19 (an import's listen is taken and reaches no task there too)
      ...(scope.inHandlers ? ['listen'] : []),
    ],
    key,
  );
  // its vars reach every task of the file: none may connect another way (nor on its own)
  refuseConnectionVars(t.vars, at);
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
  // in a handlers file the role's handlers/ comes first (ansible-core's path_dwim_relative with subdir 'handlers')
  const roleDir = scope.role
    ? [
        ...(scope.inHandlers ? [join(scope.role.dir, 'handlers')] : []),
        join(scope.role.dir, 'tasks'),
        scope.role.dir,
      ]
    : scope.playDir && scope.playDir !== scope.dir
      ? [scope.playDir]
      : [];
  const named = loadTimeName(file, scope);
  // a file a templated name can render to that is already being read (install-oss.yml's
  // `install-{{ os_family }}.yml` names itself) would only come in by a guard that cannot hold
  // without an endless include, in Ansible too: it is left out
  const reading = new Set([at.file, ...(scope.via ?? []).map((v) => v.file)]);
  const open = [at.file, ...(scope.via ?? []).map((v) => v.file)];
  const candidates = includeCandidates(named, scope.dir, entryLocation(t, key), roleDir);
  for (const c of candidates) {
    if (c.guard && reading.has(c.path)) continue;
    // a file that includes itself again under a condition (a retry from its rescue, kubespray's
    // update-node.yml) ends by it at run time; read ahead this deep, the next include fails where
    // it runs (an unconditional one goes round for ever: refused as an include loop, below)
    const guarded = t.when !== undefined || scope.when.length > 0;
    if (!isImport && guarded && open.filter((f) => f === c.path).length >= SELF_INCLUDE_DEPTH) {
      const why = `${basename(c.path)} includes itself more than ${SELF_INCLUDE_DEPTH} deep: quorum reads includes before the run, to that depth`;
      out.tasks.push(
        refusedInclude(new InputError('TASK', why, entryLocation(t, key) ?? at), c.path, scoped),
      );
      continue;
    }
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
      if ((!c.guard && !mayNotRun(t.when, scope)) || !(e instanceof InputError)) throw e;
      out.tasks.push(refusedInclude(e, c.path, inner));
    }
  }
  if (!head) return out;
  // the "included:" line names the file found (a template's, rendered, where it is found when it runs)
  // what its register holds: the file as written and the other arguments (apply)
  const { file: _, ...includeArgs } = typeof arg === 'object' && arg ? (arg as Record<string, unknown>) : {};
  const shown = (h: TaskSpec): TaskSpec => ({
    ...h,
    includeFile: file,
    includeArgs,
    ...(named.includes('{{') ? { includedFrom: [scope.dir, ...roleDir] } : { included: candidates[0].path }),
  });
  if (loops.length) return { tasks: [shown(head(file, out.tasks))], handlers: out.handlers };
  return { tasks: [shown(head(file)), ...out.tasks], handlers: out.handlers };
}

/**
 * An include's file name as far as it is known where the file is read: `{{ role_path }}` is the
 * role's folder, and a name that only a controller lookup of the role's folder makes (debops'
 * `{{ lookup("debops.debops.task_src", "sshd/pre_main.yml") }}`, its hooks) is that lookup's
 * answer, asked now with role_path and playbook_dir. Anything else stays a template (its
 * candidates are the files it can render to).
 */
function loadTimeName(file: string, scope: ListScope): string {
  const named = scope.role ? file.replace(/\{\{\s*role_path\s*\}\}/g, scope.role.dir) : file;
  if (!named.includes('{{') || !/\b(lookup|query|q)\s*\(/.test(named)) return named;
  const known = {
    ...(scope.role ? { role_path: scope.role.dir } : {}),
    ...(scope.playDir ? { playbook_dir: scope.playDir } : {}),
  };
  try {
    const value = renderString(named, known);
    return typeof value === 'string' && !value.includes('{{') ? value : named;
  } catch {
    // it needs a value of the run (or the lookup fails here): read as a template, as before
    return named;
  }
}
