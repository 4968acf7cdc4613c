/** Inline tasks in Ansible's shape: a name, exactly one module key, and task keywords. */

import { InputError, type SourceLocation } from '../errors.ts';
import { findModule } from '../modules/registry.ts';
import { checkExpression } from '../template/expr.ts';
import { refuseJinja } from '../template/jinja-guard.ts';
import { invalidVariableName, isVariableName } from '../template/var-names.ts';
import { copyLocations, entryLocation, locationOf } from '../yaml/load.ts';
import { environmentLevel } from './environment.ts';
import { type LibraryDirs, libraryTask } from './library-task.ts';
import { parseLoop } from './loops.ts';
import type { TaskSpec } from './model.ts';
import { moduleDefaults, withDefaults } from './module-defaults.ts';
import { becomeUserOf, loginOf, refuseConnectionVars } from './task-login.ts';
import { taskModuleKey, taskModuleParams } from './task-module.ts';

/** A keyword given as one value or a list of them (tags, notify). */
export const list = (v: unknown): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

function checkConditions(value: unknown, where: SourceLocation | undefined) {
  for (const c of Array.isArray(value) ? value : [value]) {
    if (typeof c !== 'string') continue;
    try {
      checkExpression(c);
    } catch (e) {
      if (e instanceof InputError)
        throw new InputError(
          e.code,
          e.message,
          where,
          e.hint ?? 'see "Conditions" and "Jinja2" in the README',
        );
      throw e;
    }
  }
}

/** Modules that only read the host: `check_mode: false` changes nothing for them. */
const READ_ONLY_MODULES = new Set([
  'ping',
  'pause',
  'wait_for_connection',
  'stat',
  'slurp',
  'debug',
  'set_fact',
  'assert',
  'fail',
  'query',
  'getent',
  'setup',
  'gather_facts',
  'set_stats',
  'service_facts',
  'package_facts',
  'include_vars',
  'find',
]);

/**
 * `local_action: MODULE ARGS` (or `{ module: M, ... }`): the module's task, delegated to
 * localhost; `action:` the same, run where the task runs.
 */
function fromAction(task: Record<string, unknown>, key: 'local_action' | 'action'): Record<string, unknown> {
  const at = entryLocation(task, key);
  const { [key]: action, ...rest } = task;
  const local = key === 'local_action';
  if (local && 'delegate_to' in task)
    throw new InputError('TASK', 'local_action and delegate_to together', at);
  let module: string | undefined;
  let args: unknown;
  if (typeof action === 'string') {
    module = action.trim().split(/\s+/, 1)[0];
    args = action.trim().slice(module.length).trim();
  } else if (action && typeof action === 'object' && !Array.isArray(action)) {
    const { module: m, ...a } = action as Record<string, unknown>;
    module = typeof m === 'string' ? m : undefined;
    args = a;
  }
  if (!module)
    throw new InputError('TASK', `${key} needs a module`, at, `${key}: { module: command, cmd: ... }`);
  const out = { ...rest, [module]: args, ...(local ? { delegate_to: 'localhost' } : {}) };
  copyLocations(task, out, { [module]: key, ...(local ? { delegate_to: key } : {}) });
  return out;
}

/**
 * `async: N` with `poll: S`: Ansible runs the task in the background and polls it every S
 * seconds, failing it after N. quorum runs it in the foreground bounded by N seconds: the same
 * outcome. `poll: 0` starts it and goes on (execute/async-job.ts; async_status reads it).
 * `timeout: N` (each attempt fails after N seconds, execute/step-timeout.ts) is checked alike.
 */
/** delegate_to naming the task's own host. */
const SELF = /^\{\{\s*inventory_hostname\s*\}\}$/;

function asyncOf(task: Record<string, unknown>): number | string | undefined {
  for (const k of ['async', 'poll', 'timeout']) {
    const v = task[k];
    if (v === undefined || (typeof v === 'string' && v.includes('{{'))) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < (k === 'async' ? 1 : 0))
      throw new InputError('TASK', `${k} must be a whole number of seconds`, entryLocation(task, k));
  }
  return task.async as number | string | undefined;
}

export function parseTask(raw: unknown, file: SourceLocation, library?: () => LibraryDirs): TaskSpec {
  const where = (raw && typeof raw === 'object' ? locationOf(raw) : undefined) ?? file;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      'TASK',
      'a task must be a mapping with a module key',
      where,
      'for example: - name: x\n      copy: { dest: /tmp/x, content: hi }',
    );
  }
  const internal = Object.keys(raw).find((k) => findModule(k)?.internal);
  if (internal)
    throw new InputError(
      'TASK',
      `unknown module or task keyword "${internal}"`,
      entryLocation(raw, internal) ?? where,
    );
  const task = libraryTask(
    'local_action' in raw
      ? fromAction(raw as Record<string, unknown>, 'local_action')
      : 'action' in raw
        ? fromAction(raw as Record<string, unknown>, 'action')
        : (raw as Record<string, unknown>),
    library,
    where,
  );
  if (
    task.connection !== undefined &&
    !['local', 'ssh', 'smart', 'paramiko'].includes(String(task.connection))
  )
    throw new InputError(
      'TASK',
      `connection: ${String(task.connection)} is not supported`,
      entryLocation(task, 'connection'),
      'quorum connects over ssh, or runs the task here with connection: local',
    );
  // Ansible's other loops get their own message before "unknown module"
  parseLoop(task, (k) => entryLocation(task, k));
  const moduleKey = taskModuleKey(task, where);
  const mod = findModule(moduleKey)!;
  const own = taskModuleParams(task, moduleKey, mod);
  // a task's own module_defaults (ansible-core takes the keyword on a task too)
  const params =
    task.module_defaults === undefined
      ? own
      : withDefaults(mod.name, own as Record<string, unknown>, moduleDefaults(task, where));
  refuseJinja(
    params,
    (key) => entryLocation(params as object, key) ?? entryLocation(task, moduleKey) ?? where,
  );
  if (task.vars) refuseJinja(task.vars, (key) => entryLocation(task.vars as object, key) ?? where);
  refuseConnectionVars(task.vars, where);
  for (const k of ['when', 'changed_when', 'failed_when', 'until'] as const) {
    if (task[k] !== undefined) checkConditions(task[k], entryLocation(task, k));
  }
  // `check_mode: false` runs a task in check mode too; quorum does so only where that cannot
  // change the host (a read-only module, or a command declared read-only with changed_when:
  // false). On a task that changes the host, a check run predicts it and says it did not run it.
  const readOnly =
    READ_ONLY_MODULES.has(mod.name) ||
    (['command', 'shell', 'uri'].includes(mod.name) &&
      (task.changed_when === false || task.changed_when === 'false'));
  const checkModeTemplate = typeof task.check_mode === 'string' && task.check_mode.includes('{{');
  for (const k of ['check_mode', 'any_errors_fatal', 'ignore_unreachable'])
    if (task[k] !== undefined && typeof task[k] !== 'boolean' && !(k === 'check_mode' && checkModeTemplate))
      throw new InputError('TASK', `${k} must be true or false`, entryLocation(task, k));
  const loopSpec = parseLoop(task, (k) => entryLocation(task, k));
  const counts = { throttle: 1, retries: 0, delay: 0 } as const;
  // run_once and throttle as templates are rendered before the plan (plan/play-keywords.ts)
  const templatedKeywords = Object.fromEntries(
    ['run_once', 'throttle', 'check_mode']
      .filter((k) => typeof task[k] === 'string' && (task[k] as string).includes('{{'))
      .map((k) => [k, { text: task[k] as string, location: entryLocation(task, k) }]),
  );
  for (const [k, min] of Object.entries(counts)) {
    const v = task[k];
    // retries and delay may be templates (`retries: "{{ api_retries }}"`), rendered per host
    if (typeof v === 'string' && v.includes('{{') && (k !== 'throttle' || templatedKeywords.throttle))
      continue;
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min))
      throw new InputError('TASK', `${k} must be a whole number of at least ${min}`, entryLocation(task, k));
  }
  const asyncSeconds = asyncOf(task);
  if (asyncSeconds !== undefined && mod.name === 'ansible_action')
    throw new InputError(
      'TASK',
      `async is not supported on ${(task.ansible_action as { name: string }).name}, which runs through its action plugin`,
      entryLocation(task, 'async'),
      'run it without async',
    );
  // a template (community.sops: `'{{ true if on_localhost else omit }}'`) is rendered per host
  const delegateFactsTemplate =
    typeof task.delegate_facts === 'string' && task.delegate_facts.includes('{{')
      ? task.delegate_facts
      : undefined;
  if (task.delegate_facts !== undefined && typeof task.delegate_facts !== 'boolean' && !delegateFactsTemplate)
    throw new InputError(
      'TASK',
      'delegate_facts must be true or false',
      entryLocation(task, 'delegate_facts'),
    );
  if (task.run_once !== undefined && typeof task.run_once !== 'boolean' && !templatedKeywords.run_once)
    throw new InputError('TASK', 'run_once must be true or false', entryLocation(task, 'run_once'));
  // synchronize delegated to its own host: rsync runs there between two of its paths (the
  // collection's action plugin: dest_is_local with use_delegate)
  const syncOnHost =
    mod.name === 'synchronize' && typeof task.delegate_to === 'string' && SELF.test(task.delegate_to);
  if (mod.name === 'synchronize' && task.delegate_to !== undefined && !syncOnHost)
    throw new InputError(
      'TASK',
      'synchronize with delegate_to (rsync run on another host) is not supported; without it rsync runs on this machine, as Ansible runs it, and with delegate_to: "{{ inventory_hostname }}" on the host',
      entryLocation(task, 'delegate_to') ?? where,
    );
  const register = task.register;
  if (register !== undefined && !isVariableName(register)) {
    throw new InputError(
      'TASK',
      `Invalid 'register' specified: ${invalidVariableName(register)}`,
      entryLocation(task, 'register'),
      'a variable name: letters, digits and _, not starting with a digit, and not true, false, none or not',
    );
  }
  return {
    name: typeof task.name === 'string' ? task.name : `${mod.name}`,
    module: mod.name,
    params: syncOnHost ? { ...(params as object), on_host: true } : (params as Record<string, unknown>),
    when: task.when,
    ...loopSpec,
    // a templated check_mode is rendered before the plan (plan/play-keywords.ts), which reads this
    ...(checkModeTemplate ? { readOnly } : {}),
    runInCheck: task.check_mode === false && readOnly,
    notRunInCheck: task.check_mode === false && !readOnly,
    alwaysCheck: task.check_mode === true,
    ...diffOf(task.diff, entryLocation(task, 'diff')),
    delegateTo:
      task.delegate_to !== undefined && !syncOnHost
        ? String(task.delegate_to)
        : task.connection === 'local'
          ? 'localhost'
          : undefined,
    delegateFacts: task.delegate_facts === true,
    delegateFactsTemplate,
    environment: environmentLevel(task.environment, entryLocation(task, 'environment') ?? where),
    defines: mod.name === 'set_fact' ? Object.keys(params as object) : undefined,
    register: register as string | undefined,
    notify: list(task.notify),
    listen: list(task.listen),
    tags: list(task.tags),
    become: typeof task.become === 'boolean' ? task.become : undefined,
    becomeUser: becomeUserOf(task, where),
    ignoreErrors: task.ignore_errors === true,
    ignoreUnreachable: task.ignore_unreachable === true || undefined,
    login: loginOf(task),
    changedWhen: task.changed_when,
    failedWhen: task.failed_when,
    vars: (task.vars as Record<string, unknown>) ?? {},
    ...noLogOf(task.no_log, entryLocation(task, 'no_log')),
    anyErrorsFatal: task.any_errors_fatal === true || undefined,
    throttle: templatedKeywords.throttle ? undefined : (task.throttle as number | undefined),
    // add_host runs once for the play's hosts, as Ansible's BYPASS_HOST_LOOP action does
    runOnce: task.run_once === true || (task.run_once === undefined && mod.name === 'add_host'),
    templatedKeywords: Object.keys(templatedKeywords).length ? templatedKeywords : undefined,
    until: task.until,
    // ansible-core 2.19: `retries` without `until` retries while the task fails (2.14 ignored it);
    // `delay` alone does nothing
    retryWhileFailed: task.until === undefined && task.retries !== undefined ? true : undefined,
    // Ansible's defaults: 3 retries, 5 s apart
    retries: (task.retries as number | string | undefined) ?? 3,
    delay: (task.delay as number | string | undefined) ?? 5,
    asyncSeconds,
    timeout: task.timeout ? (task.timeout as number | string) : undefined,
    ...(asyncSeconds !== undefined && task.poll !== undefined
      ? { asyncPoll: task.poll as number | string }
      : {}),
    location: where,
    paramsNode: params as object,
  };
}

/**
 * no_log as ansible-core takes it: a boolean, a word for one (`yes`), or a template rendered per
 * host when the task runs (nodes.ts); until then, and if it cannot be rendered, the task hides.
 */
function noLogOf(value: unknown, at: SourceLocation | undefined): Pick<TaskSpec, 'noLog' | 'noLogTemplate'> {
  if (value === undefined || typeof value === 'boolean') return { noLog: value === true };
  if (typeof value === 'string' && value.includes('{{')) return { noLog: true, noLogTemplate: value };
  const word = String(value).trim().toLowerCase();
  if (['yes', 'on', 'true', 'y', '1', 't'].includes(word)) return { noLog: true };
  if (['no', 'off', 'false', 'n', '0', 'f'].includes(word)) return { noLog: false };
  throw new InputError('TASK', `no_log must be true or false, not ${JSON.stringify(value)}`, at);
}

/** The diff keyword: a boolean, or a template rendered per host (until then no diff is shown: a role masks secrets with it). */
function diffOf(value: unknown, at: SourceLocation | undefined): Pick<TaskSpec, 'diff' | 'diffTemplate'> {
  if (value === undefined || typeof value === 'boolean') return { diff: value };
  if (typeof value === 'string' && value.includes('{{')) return { diff: false, diffTemplate: value };
  throw new InputError('TASK', 'diff must be true or false', at);
}
