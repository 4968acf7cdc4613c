/** What running one plan node means: a role, an inline task (with loop / when / register), or a handler flush. */
import { InputError } from '../errors.ts';
import { ansibleFactVars } from '../facts/ansible-names.ts';
import { ansibleArgs } from '../modules/args.ts';
import { findModule } from '../modules/registry.ts';
import type { PlanNode } from '../plan/graph.ts';
import { renderEnvironment } from '../playbook/environment.ts';
import { itemScope } from '../playbook/loops.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { loopOrSkip, SKIPPED_BY_CONDITION, taskDirs, taskVars } from '../playbook/task-scope.ts';
import type { AnyRole } from '../roles/define.ts';
import { evaluateWhen } from '../template/expr.ts';
import { OMIT } from '../template/jinja/engine.ts';
import { CONTROLLER_STATE, renderDeep } from '../template/render.ts';
import { isUnknown } from '../template/unknown.ts';
import { unsafeAsText, unsafeStrings } from '../template/unsafe.ts';
import { UnreachableError } from '../transport/types.ts';
import { taskBecome, taskBecomeUser } from './become.ts';
import { type PlayHostState, runFlush } from './handler-flush.ts';
import type { HostEnv } from './host.ts';
import { hostvarsFor } from './hostvars.ts';
import { notIncluded, runIncludeGate, runIncludeLoop } from './include-run.ts';
import { lateVarsFor } from './late-vars.ts';
import { falseConditionOf, itemKeys, loopResult, skipResult } from './loop-results.ts';
import { clearHostErrors, endHost, endPlay, endRole, metaStep, refreshInventory } from './meta-steps.ts';
import { nodeVars } from './node-vars.ts';
import { handlerKey, playKey } from './pending-handlers.ts';
import { runRole } from './role-node.ts';
import { runOnce } from './run-once.ts';
import { lookahead } from './speculate.ts';
import type { NodeResult, RunState } from './state.ts';
import { runStep } from './step.ts';
import type { StepOutcome } from './step-spec.ts';
import {
  failureReason,
  ignoringUnreachable,
  loopFailure,
  rescueBlockFailed,
  templateFailure,
} from './task-failure.ts';
import { notifiedNames, withRenderedFlags, withShownName } from './task-names.ts';
import { reachesFacts, reachesHostvars } from './task-reach.ts';
import { unknownLoop } from './unknown-loop.ts';

export type { PlayHostState };

const ROLE_ENDED = 'the role ended for this host (meta: end_role)';
/** A task of a role a meta: end_role ended for this host (handlers are not asked: they still run). */
const roleEnded = (host: HostEnv, task: TaskSpec) => host.roleEnded(task.roleInstance);

async function runTask(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  spec: TaskSpec,
  playState: PlayHostState,
  searchDirs: string[],
  /** The variables of a looped include's iteration (its item), above the host's. */
  iteration?: Record<string, unknown>,
): Promise<NodeResult> {
  const vars = iteration ? { ...nodeVars(run, host, node), ...iteration } : nodeVars(run, host, node);
  // facts under Ansible's names, gathered only for a task that can name them; under
  // gather_facts: false only those gathered before (an earlier play, setup), as in Ansible
  // (none gathered: `ansible_facts` is an empty dict, as Ansible's)
  // (what facts modules set since - package_facts, setup - joins `ansible_facts` in any case)
  if (node.play.gatherFacts) host.markGathered();
  const gathered = host.gathered;
  const facts =
    gathered && reachesFacts(spec, vars, searchDirs)
      ? await host.ansibleFacts(node.play.factPath)
      : undefined;
  const withFacts = facts
    ? { ...ansibleFactVars(facts), ansible_facts: host.factsVar(facts), ...vars }
    : { ansible_facts: host.factsVar(), ...vars };
  // vars_files named per host: above the play's vars (taskVars puts set_fact and -e back on top)
  const late = node.play.lateVarsFiles
    ? await lateVarsFor(host, node.play, withFacts, (message) =>
        run.emit({ type: 'warning', message: `${host.name}: ${message}` }),
      )
    : undefined;
  if (late instanceof Error) {
    const failure = templateFailure(run, host, node, spec, late.message, undefined);
    return { status: 'failed', reason: failureReason(spec, failure.error) };
  }
  const hostvars = reachesHostvars(spec, vars, searchDirs)
    ? await hostvarsFor(run, node.play, true)
    : undefined;
  /** The task's variables with the host's run-time variables and module facts as they are now. */
  const scopeNow = () => {
    const known = 'ansible_facts' in vars ? withFacts : { ...withFacts, ansible_facts: host.factsVar(facts) };
    const layered = taskVars(spec, late ? { ...known, ...late } : known, {
      runtime: host.runtimeVars,
      extra: run.options.extraVars,
    });
    // hostvars only for a task that can name it: it may gather every play host's facts
    return hostvars ? { ...layered, hostvars } : layered;
  };
  let base = scopeNow();
  let baseVersion = host.varsVersion;
  const task = withRenderedFlags(withShownName(spec, base), base);
  const dirs = taskDirs(task, searchDirs);
  // an include inside an include that did not happen is not reported either, as in Ansible
  // (its gate still answers no for the tasks it would have brought)
  if (notIncluded(task, base)) {
    if (task.includeGate && !task.reportsOnly) host.setVar(task.includeGate, false);
    return {
      status: 'skipped',
      reason: 'not reached (an include that did not happen, or a block that did not get there)',
    };
  }
  if (task.includeGate) return runIncludeGate(run, host, node, task, base);
  let items: ReturnType<typeof loopOrSkip>;
  try {
    items = loopOrSkip(task, base, searchDirs);
  } catch (e) {
    if (!(e instanceof InputError && e.code === CONTROLLER_STATE)) throw e;
    return loopFailure(run, host, node, task, e.message);
  }
  const skipped = (message: string, item?: unknown) =>
    run.emit({
      type: 'step',
      host: host.name,
      node: node.id,
      task: task.name,
      // a meta task is one in the event stream too (planned as a debug step with its flag)
      module: task.meta ? 'meta' : task.module,
      status: 'skipped',
      changes: [],
      message,
      item,
    });
  if (items === SKIPPED_BY_CONDITION) {
    skipped('condition is false');
    if (task.register) host.setVar(task.register, skipResult(falseConditionOf(task.when, base)));
    return { status: 'skipped', reason: 'condition is false' };
  }
  if (isUnknown(items)) return unknownLoop(run, host, node, task);
  if (!Array.isArray(items)) return { status: 'failed', reason: `loop of "${task.name}" is not a list` };
  if (items.length === 0) {
    // as Ansible reports it: a loop over nothing is a skipped task
    skipped('no items in the loop');
    if (task.register) host.setVar(task.register, loopResult([]));
    return { status: 'skipped', reason: 'no items in the loop' };
  }
  if (task.includeLoop)
    return runIncludeLoop(run, host, node, task, items, base, iteration ?? {}, (t, vars, at) => {
      if (t.flushHandlers) return flushHandlers(run, host, node, playState, searchDirs);
      const execute = () => runTask(run, host, node, t, playState, searchDirs, vars);
      return t.runOnce ? runOnce(run, host, node, t, execute, { at, iteration: vars }) : execute();
    });
  const results: Record<string, unknown>[] = [];
  let changed = false;
  let ran = false;
  let failure: StepOutcome | undefined;
  let rescued = false;
  const varsOf = (n: PlanNode) => nodeVars(run, host, n);
  for (const [index, item] of items.entries()) {
    // loop_control.pause: between one item and the next, skipped ones too, as Ansible pauses
    if (index > 0 && task.loopPause) await new Promise((r) => setTimeout(r, (task.loopPause ?? 0) * 1000));
    // an earlier item's set_fact or include_vars, and its registered result, are this item's
    // variables (2.19's loop shares its variables between items)
    if (host.varsVersion !== baseVersion) [base, baseVersion] = [scopeNow(), host.varsVersion];
    const previous = task.register && index > 0 ? { [task.register]: unsafeStrings(results[index - 1]) } : {};
    const vars = task.loop === undefined ? base : itemScope(task, { ...base, ...previous }, item, index);
    const verdict = task.when === undefined ? undefined : evaluateWhen(task.when, vars);
    if (verdict && !verdict.value) {
      skipped('condition is false', item);
      const skip = skipResult(verdict.falseCondition);
      results.push(task.loop === undefined ? skip : { ...skip, ...itemKeys(task, item, index) });
      continue;
    }
    ran = true;
    if (task.endHost) return endHost(run, host, node, task);
    if (task.endPlay) return endPlay(run, host, node, task);
    if (task.endRole) return endRole(run, host, node, task);
    if (task.clearFacts) {
      host.clearFacts();
      metaStep(run, host, node, task, 'facts cleared');
      return { status: 'ok', reason: 'meta: clear_facts' };
    }
    if (task.refreshInventory) return refreshInventory(run, host, node, task);
    if (task.clearHostErrors) return clearHostErrors(run, host, node, task);
    if (task.resetConnection) {
      await host.transport.reset?.();
      metaStep(run, host, node, task, 'reset connection');
      return { status: 'ok', reason: 'meta: reset_connection' };
    }
    const runTaskStep = async (params: Record<string, unknown>): Promise<StepOutcome> => {
      if (task.noLog) run.addSecret(params);
      // delegate_to: the step runs there, reported and registered as this host's
      // `omit` (community.sops: `'{{ "localhost" if on_localhost else omit }}'`): not delegated
      const to = task.delegateTo === undefined ? undefined : renderDeep(task.delegateTo, vars);
      const target = to === undefined || to === OMIT ? host : run.hostEnv(String(to));
      return runStep(
        run,
        target,
        node.id,
        {
          reportAs: target === host ? undefined : host.name,
          delegateFacts: task.delegateFacts,
          name: task.name,
          module: task.module,
          params,
          become: taskBecome(task, node.play, base),
          becomeUser: ((u) => (u === undefined ? undefined : String(renderDeep(u, vars))))(
            taskBecomeUser(task, node.play, base, taskBecome(task, node.play, base)),
          ),
          noLog: task.noLog,
          register: task.register,
          changedWhen: task.changedWhen,
          failedWhen: task.failedWhen,
          ignoreErrors: task.ignoreErrors,
          rescued: task.rescueBlock !== undefined,
          item:
            task.loopLabel !== undefined && task.loop !== undefined ? renderDeep(task.loopLabel, vars) : item,
          searchDirs: dirs,
          runInCheck: task.runInCheck,
          notRunInCheck: task.notRunInCheck,
          alwaysCheck: task.alwaysCheck,
          readOnly: node.readOnly,
          diff: task.diff,
          environment: task.environment && renderEnvironment(task.environment, (v) => renderDeep(v, vars)),
          // inside a looped include the node's next steps are not this task's
          lookahead:
            target === host && !iteration ? lookahead(host, node, index, varsOf, searchDirs) : undefined,
          until:
            task.until ?? (task.retryWhileFailed ? (o: StepOutcome) => o.result.failed !== true : undefined),
          retries: Number(renderDeep(task.retries, vars)),
          delay: Number(renderDeep(task.delay, vars)),
          timeout: task.timeout === undefined ? undefined : Number(renderDeep(task.timeout, vars)),
          asyncSeconds:
            task.asyncSeconds === undefined ? undefined : Number(renderDeep(task.asyncSeconds, vars)),
          background:
            task.asyncSeconds !== undefined &&
            task.asyncPoll !== undefined &&
            Number(renderDeep(task.asyncPoll, vars)) === 0,
          // a delegated step's handlers run on this host, whose record the step does not reach
          durable:
            target === host && task.notify.length > 0
              ? notifiedNames(task, vars, node.play).map((h) => handlerKey({ play: playKey(node.play) }, h))
              : undefined,
        },
        vars,
      );
    };
    let params: Record<string, unknown> | undefined;
    let unrendered: StepOutcome | undefined;
    try {
      params = ansibleArgs(
        findModule(task.module)!,
        unsafeAsText(renderDeep(task.params, vars)) as Record<string, unknown>,
      );
    } catch (e) {
      if (e instanceof UnreachableError) throw e;
      // a template that fails at run time (an attribute a registered value lacks, from_json on
      // text) is the step's failure, as in Ansible: ignore_errors and a block's rescue see it
      unrendered = templateFailure(run, host, node, task, (e as Error).message, item);
    }
    const outcome =
      params === undefined
        ? (unrendered as StepOutcome)
        : await ignoringUnreachable(run, host, node, task, item, () => runTaskStep(params));
    results.push(
      task.loop === undefined ? outcome.result : { ...outcome.result, ...itemKeys(task, item, index) },
    );
    if (task.register && task.loop === undefined)
      host.setVar(task.register, outcome.registerAs ?? unsafeStrings(outcome.result));
    // a loop's other items still run after one fails, as in Ansible; the task fails (or its
    // block is rescued) after them
    if (outcome.status === 'failed') {
      failure ??= outcome;
      continue;
    }
    if (task.rescueBlock !== undefined && !task.ignoreErrors && outcome.result.failed === true) {
      rescued = true;
      continue;
    }
    if (outcome.changed) {
      changed = true;
      const names = notifiedNames(task, vars, node.play);
      const unknown = names.find(
        (h) => !node.play.handlers.some((x) => x.name === h || x.listen.includes(h)),
      );
      if (unknown !== undefined)
        return {
          status: 'failed',
          reason: `The requested handler '${unknown}' was not found in either the main handlers list nor in the listening handlers list`,
        };
      for (const h of names) playState.notified.set(h, [...(playState.notified.get(h) ?? []), task.name]);
    }
  }
  const registered = task.loop !== undefined ? unsafeStrings(loopResult(results)) : results[0];
  if (task.register && (task.loop !== undefined || !ran)) host.setVar(task.register, registered);
  if (failure) return { status: 'failed', reason: failureReason(task, failure.error) };
  if (rescued) rescueBlockFailed(host, task, registered as Record<string, unknown>);
  if (!ran) return { status: 'skipped', reason: 'condition is false' };
  return { status: changed ? 'changed' : 'ok' };
}

export async function runNode(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  roles: Map<string, AnyRole>,
  playState: PlayHostState,
  searchDirs: string[],
): Promise<NodeResult> {
  const ended = run.endedPlays.has(node.play.index) ? 'end_play' : host.endedPlays.get(node.play.index);
  if (ended) return { status: 'skipped', reason: `the play ended for this host (meta: ${ended})` };
  if (node.item.kind === 'task') {
    const first = node.batch?.[0];
    // the batch's first host decided for this one: its own condition is not asked (ansible-core)
    if (node.item.task.endPlay && first !== undefined && first !== host.name)
      return endPlay(run, host, node, node.item.task);
    if (roleEnded(host, node.item.task)) return { status: 'skipped', reason: ROLE_ENDED };
    const task = node.item.task;
    const execute = () => runTask(run, host, node, task, playState, searchDirs);
    return task.runOnce ? runOnce(run, host, node, task, execute) : execute();
  }
  if (node.item.kind === 'role') return runRole(run, host, node, roles.get(node.item.ref.role)!, searchDirs);
  return flushHandlers(run, host, node, playState, searchDirs);
}

/** The play's notified handlers, run here (the play's end, or a meta: flush_handlers). */
function flushHandlers(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  playState: PlayHostState,
  searchDirs: string[],
): Promise<NodeResult> {
  // a role's handler runs under "role : name", as ansible-playbook shows it
  return runFlush(run, host, node, playState, (handler) =>
    runTask(
      run,
      host,
      node,
      handler.handlerOf ? { ...handler, name: `${handler.handlerOf} : ${handler.name}` } : handler,
      { notified: new Map() },
      searchDirs,
    ),
  );
}
