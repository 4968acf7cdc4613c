/**
 * Everything that can be checked offline, before any host is touched: role params for every
 * host (resolved and validated against the schema), task params rendered for every host
 * (a variable that is neither known now nor set during the run is an error), module params
 * against the module schema where nothing is left to the run.
 */
import { InputError, InputErrorList } from '../errors.ts';
import type { LoadedInventory } from '../inventory/load.ts';
import { PatternMatcher } from '../inventory/patterns.ts';
import { lateVarNames } from '../playbook/late-vars-files.ts';
import { itemScope } from '../playbook/loops.ts';
import type { Play, TaskSpec } from '../playbook/model.ts';
import {
  loopOrSkip,
  SKIPPED_BY_CONDITION,
  taskDirs,
  taskItems,
  taskVars,
  withIncluded,
} from '../playbook/task-scope.ts';
import type { AnyRole } from '../roles/define.ts';
import { resolveRoleParams } from '../roles/params.ts';
import { CONTROLLER_STATE, MissingVariable } from '../template/render.ts';
import { noteWarning } from '../yaml/load.ts';
import type { PlayTargets } from './graph.ts';
import { checkNotifies } from './notifies.ts';
import { growsInventory } from './segments.ts';
import { ruledOut, staticallyFalse } from './static-conditions.ts';
import {
  ANY_NAME,
  checkParamNames,
  checkParams,
  checkTemplateSource,
  stateWarning,
} from './validate-params.ts';
import {
  type CommandLine,
  inventoryVars,
  magicVars,
  optionVars,
  playMagicVars,
  resolveVars,
} from './vars.ts';
import { checkWhenNames, namesKnownBeforeRun } from './when-names.ts';

/** Names that only exist once the run is under way: registered results, set_fact, loop items. */
function runtimeNames(plays: Play[]): Set<string> {
  const names = new Set(['item', 'ansible_facts', 'facts', 'hostvars']);
  for (const p of plays) {
    // what a per-host vars_files may define: the keys of every file its names could be
    for (const n of lateVarNames(p.lateVarsFiles ?? [], p.dir ?? '.')) names.add(n);
    const tasks = [...p.items.flatMap((i) => (i.kind === 'task' ? [i.task] : [])), ...p.handlers];
    for (const task of withIncluded(tasks)) {
      if (task.register) names.add(task.register);
      // a module of the content's own may set any fact (its ansible_facts)
      if (task.module === 'library_module' || task.module === 'ansible_action') names.add(ANY_NAME);
      // a set_fact key that is a template may be any name (dev-sec: `"{{ item.key }}": ...`)
      for (const k of [...(task.defines ?? []), task.loopVar, task.indexVar])
        if (k) names.add(k.includes('{{') ? ANY_NAME : k);
    }
  }
  return names;
}

/** A looped include: its tasks checked with each item known now (or once, the item left to the run). */
function checkIncludeLoop(
  task: TaskSpec,
  vars: Record<string, unknown>,
  deferred: Set<string>,
  host: string,
  searchDirs: string[],
) {
  let items: unknown = [];
  try {
    items = taskItems(task, vars, searchDirs);
  } catch (e) {
    if (!(e instanceof MissingVariable)) throw e instanceof InputError ? e.locatedAt(task.location) : e;
  }
  const known = Array.isArray(items) && !JSON.stringify(items).includes('{{');
  const scopes = known ? (items as unknown[]).map((item, i) => itemScope(task, vars, item, i)) : [vars];
  for (const scope of scopes) {
    if (known && ruledOut(task.when, scope, deferred)) continue;
    for (const inner of task.includeLoop ?? [])
      checkTask(inner, taskVars(inner, scope), deferred, host, searchDirs);
  }
}

function checkTask(
  task: TaskSpec,
  vars: Record<string, unknown>,
  deferred: Set<string>,
  host: string,
  searchDirs: string[],
  handler = false,
) {
  // a loop over nothing never asks its condition (debops: `loop: '{{ x | d([]) }}'` with a
  // `when` naming variables of other roles): nothing of the task is checked, as nothing runs
  if (task.loop !== undefined && loopIsEmpty(task, vars, searchDirs)) return;
  if (task.when !== undefined && !deferred.has(ANY_NAME)) {
    try {
      checkWhenNames(task.when, vars, deferred, task.location);
    } catch (e) {
      // a handler's condition is asked only where it is notified: debops' global_handlers, which
      // every debops role imports, hold handlers on variables of the roles that notify them
      if (!handler || !(e instanceof InputError)) throw e;
      noteWarning(`${e.message} (a handler: it fails there if notified)`, task.location);
      return;
    }
  }
  // a task this host will certainly skip (`when: nginx_ppa_use | bool`, false by default) is
  // not checked: as in Ansible, its arguments only matter if it runs. A condition on names set
  // during the run (register, set_fact) may still come true, so such a task is checked.
  // the same for the include_tasks this task came from, whose own condition it does not carry
  if (ruledOut(task.when, vars, deferred) || ruledOut(task.includeWhen, vars, deferred)) return;
  if (task.includeGate) return;
  if (task.includeLoop) return checkIncludeLoop(task, vars, deferred, host, searchDirs);
  checkParamNames(task);
  const dirs = taskDirs(task, searchDirs);
  checkTemplateSource(task, vars, dirs);
  if (task.loop === undefined) return checkParams(task, vars, deferred, host, dirs);
  // a loop known now is checked item by item; one built at run time (a registered list) is not
  let items: unknown;
  try {
    // as ansible-core: a loop over an undefined variable is skipped where the condition, asked
    // without an item, is false (robertdebock.logrotate: `when: item.state is defined`)
    items = loopOrSkip(task, vars, searchDirs);
    if (items === SKIPPED_BY_CONDITION) return;
  } catch (e) {
    if (e instanceof InputError && e.code === CONTROLLER_STATE) return stateWarning(e, task);
    const root = e instanceof MissingVariable ? e.variable.split('.')[0] : '';
    // `ansible_distribution` and the other facts under their own names come with gathering
    if (
      e instanceof MissingVariable &&
      (deferred.has(root) || deferred.has(ANY_NAME) || root.startsWith('ansible_'))
    )
      return;
    if (e instanceof MissingVariable)
      throw new InputError(
        'TEMPLATE',
        `undefined variable "${e.variable}" for host ${host} in the loop of "${task.name}"`,
        task.location,
        "define it in the inventory, in the play's vars, or with -e (or guard the task with `when: ... is defined`)",
      );
    throw e instanceof InputError ? e.locatedAt(task.location) : e;
  }
  if (!Array.isArray(items) || JSON.stringify(items).includes('{{')) return;
  // an item the condition rules out never runs (Ansible asks `when` per item): the item is known here
  const known = new Set([...deferred].filter((n) => n !== (task.loopVar ?? 'item')));
  for (const [i, item] of items.entries()) {
    const scope = itemScope(task, vars, item, i);
    if (!ruledOut(task.when, scope, known)) checkParams(task, scope, deferred, host, dirs);
  }
}

/** Whether the task's loop is known now and has no items (any failure: not known to be empty). */
function loopIsEmpty(task: TaskSpec, vars: Record<string, unknown>, searchDirs: string[]): boolean {
  try {
    const items = taskItems(task, vars, searchDirs);
    return Array.isArray(items) && items.length === 0;
  } catch {
    return false;
  }
}

export function validateStatic(
  targets: PlayTargets[],
  inventory: LoadedInventory,
  roles: Map<string, AnyRole>,
  extraVars: Record<string, unknown>,
  /** Where tasks' controller-side files are looked up (the playbook's folder). */
  searchDirs: string[] = [],
  commandLine: CommandLine = {},
) {
  const found = new InputErrorList();
  for (const t of targets) found.collect(() => checkNotifies(t.play));
  const deferred = runtimeNames(targets.map((t) => t.play));
  if (!namesKnownBeforeRun(targets.map((t) => t.play))) deferred.add(ANY_NAME);
  // group_by and add_host change the groups during the run: what names them is checked then
  const growing = targets.some((t) => growsInventory(t.play));
  if (growing) for (const name of ['groups', 'group_names']) deferred.add(name);
  const planned = new Map<
    string,
    Array<{ host: string; params: Record<string, unknown>; vars: Record<string, unknown> }>
  >();
  for (const t of targets) {
    // one list shared by every host's vars (a copy per host was walked per host: quadratic)
    const hostsAll = t.batches.flat();
    const magicOf = new Map(
      t.batches.flatMap((batch) => {
        const magic = playMagicVars(t.play, hostsAll, batch);
        return batch.map((h) => [h, magic]);
      }),
    );
    const options = optionVars(commandLine);
    for (const name of hostsAll) {
      const host = inventory.data.hosts.get(name) ?? inventory.data.getHost(name)!;
      const inv = inventoryVars(inventory, host);
      const vars = resolveVars({
        ...inv,
        ...magicVars(inventory, host),
        ...options,
        ...magicOf.get(name),
        ansible_check_mode: false,
        ...t.play.vars,
        ...extraVars,
      });
      if (growing) {
        delete vars.groups;
        delete vars.group_names;
      }
      for (const i of t.items) {
        const item = t.play.items[i];
        if (item.kind === 'flush') continue;
        if (item.kind === 'role') {
          // a role this host will certainly skip (`when: api_lb == 'kube-vip'`) is not planned:
          // its params and preflight do not apply; a condition on run-time values keeps it in
          if (item.ref.when !== undefined && !deferred.has(ANY_NAME))
            found.collect(() => checkWhenNames(item.ref.when, vars, deferred, item.ref.location));
          if (item.ref.when !== undefined && staticallyFalse(item.ref.when, vars)) continue;
          const params = found.collect(() =>
            resolveRoleParams(
              roles.get(item.ref.role)!,
              item.ref,
              { inventory: inv, play: t.play.vars, extra: extraVars, all: vars },
              name,
            ),
          );
          if (!params) continue;
          const list = planned.get(item.ref.role) ?? [];
          list.push({ host: name, params, vars });
          planned.set(item.ref.role, list);
        } else {
          found.collect(() =>
            checkTask(item.task, taskVars(item.task, vars, { extra: extraVars }), deferred, name, searchDirs),
          );
        }
      }
      for (const h of t.play.handlers)
        found.collect(() =>
          checkTask(h, taskVars(h, vars, { extra: extraVars }), deferred, name, searchDirs, true),
        );
    }
  }
  found.throwIfAny();
  const ctx = {
    roles: [...planned.keys()],
    hosts: (pattern: string) =>
      new PatternMatcher(inventory.data)
        .hosts(pattern)
        .map((h) => ({ name: h.name, vars: inventoryVars(inventory, h) })),
  };
  const problems: string[] = [];
  for (const [name, entries] of planned)
    problems.push(...(roles.get(name)?.check?.(entries, ctx) ?? []).map((p) => `${name}: ${p}`));
  if (problems.length) {
    throw new InputError(
      'PREFLIGHT',
      `preflight failed:\n  - ${problems.join('\n  - ')}`,
      undefined,
      'fix the inventory or playbook values named above',
    );
  }
}
