/**
 * One step on one host: validate params, probe, compute the changes (the module's job), then
 * (unless in check mode) run them and any waits. This is the only place actions happen.
 */

import { InputError } from '../errors.ts';
import { withHostPaths } from '../modules/host-paths.ts';
import { findModule } from '../modules/registry.ts';
import type { Change, ModuleOutcome, ProbeContext } from '../modules/types.ts';
import { explainParam, mostUseful } from '../playbook/errors.ts';
import { listLocalDir, localPath, readLocalBytes, readLocalFile } from '../playbook/local-files.ts';
import type { RunEvent } from '../report/events.ts';
import { validator } from '../schema/ajv.ts';
import { evaluateWhen } from '../template/expr.ts';
import { MissingVariable } from '../template/render.ts';
import { containsUnknown, Unknown } from '../template/unknown.ts';
import { UnreachableError } from '../transport/types.ts';
import { NO_ASYNC, startJob } from './async-job.ts';
import { asUser, withEnvironment } from './become.ts';
import type { HostEnv } from './host.ts';
import { applyInventoryChange } from './inventory-change.ts';
import { keptProbe } from './kept-probes.ts';
import type { RunState } from './state.ts';
import { applyStep, predictStep, taskConditions } from './step-apply.ts';
import { stepReport, unknownResult } from './step-report.ts';
import type { StepOutcome, StepSpec } from './step-spec.ts';
import { throwIfAborted, withTimeout } from './step-timeout.ts';

export type { StepOutcome, StepSpec } from './step-spec.ts';

function _tail(text: string, lines = 5): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A module's failure (its plan said failed) under failed_when: the condition sees the failed
 * result, as Ansible's; false, the step is ok with `failed_when_result: false`
 * (linux-system-roles' `command: systemctl is-system-running` with `failed_when: false`).
 */
function failedWhenOverModule(
  spec: StepSpec,
  message: string,
  found: Record<string, unknown> | undefined,
  vars: Record<string, unknown>,
  report: ReturnType<typeof stepReport>,
): StepOutcome {
  const result = { changed: false, ...found, failed: true, msg: found?.msg ?? message };
  const judged = taskConditions(spec, result, vars, result.changed === true);
  if ('error' in judged) return report.fail({ message: judged.error });
  if (judged.failed)
    return report.fail({ message }, false, { ...result, changed: judged.changed, failed_when_result: true });
  const status = judged.changed ? 'changed' : 'ok';
  report.emit(status, [], { message });
  return {
    status,
    changed: judged.changed,
    result: { ...result, changed: judged.changed, failed: false, failed_when_result: false },
  };
}

function untilHolds(spec: StepSpec, outcome: StepOutcome, vars: Record<string, unknown>): boolean {
  if (typeof spec.until === 'function') return Boolean(spec.until(outcome));
  const scope = spec.register ? { ...vars, [spec.register]: outcome.result } : vars;
  const r = evaluateWhen(spec.until, scope);
  return r.value && !r.unknown;
}

/**
 * One step, repeated while its `until` does not hold (at most `retries` more times, `delay`
 * seconds apart). Only the last attempt's step event is reported; each earlier one is a
 * `retry` event. In check mode a prediction ("known after apply") is not retried.
 */
export async function runStep(
  run: RunState,
  host: HostEnv,
  nodeId: string,
  spec: StepSpec,
  vars: Record<string, unknown>,
): Promise<StepOutcome> {
  const once = (emitEvent: (e: RunEvent) => void) =>
    withTimeout(run, host, nodeId, spec, emitEvent, (s, emit) =>
      attemptStep(run, host, nodeId, s, vars, emit),
    );
  if (spec.until === undefined) return once((e) => run.emit(e));
  const retries = spec.retries ?? 3;
  for (let attempt = 1; ; attempt++) {
    const events: RunEvent[] = [];
    const outcome = await once((e) => events.push(e));
    // a timed-out attempt ends the task in Ansible, retries left or not (no `attempts` registered)
    if (outcome.result.timedout !== undefined) {
      for (const e of events) run.emit(e);
      return outcome;
    }
    const last = attempt > retries;
    const predicted = outcome.status === 'would_change' && containsUnknown(outcome.result);
    let holds = false;
    let raised: string | undefined;
    try {
      holds = !predicted && outcome.status !== 'failed' && untilHolds(spec, outcome, vars);
    } catch (e) {
      raised = (e as Error).message; // a condition that raises holds no more on a retry
    }
    if (holds || last || predicted || raised) {
      // out of attempts, ansible-core 2.19 registers `attempts` as the retries asked for (one
      // less than the attempts made) and keeps the last attempt's own result
      const attempts = holds || predicted ? attempt : retries;
      if (!holds && !predicted && outcome.status !== 'failed' && outcome.result.failed !== true) {
        // the condition never held: the step fails, as Ansible's "retries exhausted"
        const error = { message: raised ?? `until condition still false after ${attempt} attempt(s)` };
        // as any failure: ignore_errors and a block's rescue see it
        const ignored = spec.ignoreErrors || undefined;
        const rescued = (!spec.ignoreErrors && spec.rescued) || undefined;
        for (const e of events)
          if (e.type === 'step') Object.assign(e, { status: 'failed', error, ignored, rescued });
        for (const e of events) run.emit(e);
        const result = { ...outcome.result, attempts, failed: true };
        return ignored || rescued
          ? { status: 'ok', changed: false, result }
          : { status: 'failed', changed: false, result, error };
      }
      for (const e of events) run.emit(e);
      return { ...outcome, result: { ...outcome.result, attempts } };
    }
    run.emit({
      type: 'retry',
      host: spec.reportAs ?? host.name,
      task: spec.name,
      attempt,
      retries,
      delaySeconds: spec.delay ?? 5,
      message: spec.noLog ? undefined : outcome.error?.message,
    });
    await sleep((spec.delay ?? 5) * 1000);
  }
}

async function attemptStep(
  run: RunState,
  host: HostEnv,
  nodeId: string,
  spec: StepSpec,
  vars: Record<string, unknown>,
  emitEvent: (e: RunEvent) => void,
): Promise<StepOutcome> {
  const mod = findModule(spec.module);
  const checking = run.options.check || spec.readOnly === true;
  const report = stepReport(run, host, nodeId, spec, checking, emitEvent);
  if (!mod) return report.fail({ message: `unknown module ${spec.module}` }, true);
  if (spec.asyncSeconds !== undefined && NO_ASYNC.has(mod.name))
    return report.fail({ message: `This action (${spec.module}) does not support async.` }, true);

  // a module that only passes its values on (set_fact) plans with values known after apply
  if (checking && containsUnknown(spec.params) && !mod.plansUnknown) {
    const change: Change = {
      summary: `${spec.name}: parameters known after apply`,
      action: { kind: 'exec', command: ':' },
    };
    report.emit('would_change', [change], { prediction: true });
    return {
      status: 'would_change',
      changed: true,
      // what a registered result is read for (stat's stat, slurp's content ...) is known after apply too
      result: unknownResult(spec.name),
      ...(mod.unknownResult === 'all' ? { registerAs: new Unknown(spec.name) } : {}),
    };
  }
  const check = validator(mod.schema);
  if (!check(spec.params)) {
    const names = Object.keys((mod.schema as { properties?: object }).properties ?? {});
    const problem = explainParam(mostUseful(check.errors ?? []), spec.params, names);
    return report.fail(
      { message: `${spec.module}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}` },
      true,
    );
  }

  // a step delegated here from another host's node reads beside this host's own steps
  const probes = spec.reportAs !== undefined ? host.aside().probes : host.probes;
  // what the next run may send ahead (learned-probes.ts): reads a module lets go early, no no_log
  const learnable = mod.prefetch !== false && !spec.noLog;
  const asRequest = (command: string) => ({
    command: asUser(withEnvironment(command, spec.environment), spec.becomeUser),
    become: spec.become || !!spec.becomeUser,
  });
  const read = (command: string, learn: boolean) => {
    const request = asRequest(command);
    const plain = !spec.environment && !spec.becomeUser;
    if (plain && learn && ![...run.secrets].some((s) => command.includes(s))) spec.noteProbe?.(request);
    return throwIfAborted(spec) ?? probes.probe(request, plain ? spec.lookahead : undefined);
  };
  const ctx: ProbeContext = {
    host: host.name,
    facts: () => host.facts(),
    become: spec.become,
    becomeUser: spec.becomeUser,
    vars,
    verbosity: run.options.verbose,
    checkMode: (checking || spec.alwaysCheck === true) && !spec.runInCheck,
    predictedBefore: host.predictedScopes.length > 0,
    diff: spec.diff ?? run.options.diff,
    noLog: spec.noLog === true,
    registers: spec.register !== undefined,
    probe: (command) => read(command, learnable),
    // the listing of the files a kept read depends on is a plain stat: sent ahead whatever the module
    probeKept: (command, files) =>
      keptProbe(host.name, JSON.stringify(asRequest(command)), command, files, (c) =>
        read(c, c === command ? learnable : !spec.noLog),
      ),
    // bytes for the command's stdin (an archive on the controller): never cached or sent ahead
    probeInput: (command, stdin) =>
      throwIfAborted(spec) ??
      (spec.reportAs !== undefined ? host.aside().transport : host.transport).exec(
        asUser(withEnvironment(command, spec.environment), spec.becomeUser),
        { purpose: 'probe', stdin, become: spec.become || !!spec.becomeUser },
      ),
    probePath: (path, want) => {
      const request = { path: { path, ...want }, become: spec.become };
      if (learnable) spec.noteProbe?.(request);
      return throwIfAborted(spec) ?? probes.probePath(request, spec.lookahead);
    },
    readLocal: (path, kind) => readLocalFile(spec.searchDirs, path, kind),
    readLocalBytes: (path, kind) => readLocalBytes(spec.searchDirs, path, kind),
    listLocal: (path, kind) => listLocalDir(spec.searchDirs, path, kind),
    localPath: (path, kind) => localPath(spec.searchDirs, path, kind),
    searchDirs: spec.searchDirs,
    localVarsPath: (path) => localPath(spec.searchDirs, path, 'vars'),
  };
  let outcome: ModuleOutcome;
  try {
    outcome = await mod.plan(ctx, await withHostPaths(mod.name, spec.params, ctx));
  } catch (e) {
    if (e instanceof UnreachableError) throw e;
    // a template that does not render (render.ts makes a parse error an InputError), a file that
    // is not there: the task's fault, not the host's
    const input = e instanceof InputError || e instanceof MissingVariable;
    return report.fail({ message: e instanceof InputError ? e.describe() : (e as Error).message }, input);
  }
  for (const secret of outcome.secrets ?? []) run.addSecret(secret);
  // a failure registers what the module found (async_status: the job's rc and output)
  if (outcome.failed) {
    // failed_when decides over the module's own failure, as Ansible's TaskExecutor does (not
    // over arguments that did not render: those fail before the module runs there too)
    if (spec.failedWhen === undefined || outcome.failedOnInput)
      return report.fail({ message: outcome.failed }, outcome.failedOnInput, outcome.result);
    return failedWhenOverModule(spec, outcome.failed, outcome.result, vars, report);
  }
  if (outcome.skipped !== undefined) {
    report.emit('skipped', [], { message: outcome.skipped });
    // a module that says what a skip registers (an action plugin's skip: its msg) has it so
    const result = outcome.result
      ? { changed: false, ...outcome.result, skipped: true }
      : { changed: false, failed: false, skipped: true, skipped_reason: outcome.skipped };
    return { status: 'skipped', changed: false, result };
  }
  if (outcome.inventory) {
    // group_by, add_host: the controller's inventory changes, in a check run too (as Ansible's)
    const changed = applyInventoryChange(run, spec.reportAs ?? host.name, outcome.inventory);
    const what =
      'addGroup' in outcome.inventory
        ? `${spec.reportAs ?? host.name} in group ${outcome.inventory.addGroup}`
        : `host ${outcome.inventory.addHost.name} in the inventory`;
    const status = !changed ? 'ok' : checking ? 'would_change' : 'changed';
    report.emit(status, changed ? [{ summary: what, action: { kind: 'exec', command: ':' } }] : []);
    return { status, changed, result: { ...outcome.result, changed } };
  }
  // set_fact delegated elsewhere sets this host's facts, as Ansible does, unless delegate_facts
  const factsHost = spec.reportAs !== undefined && !spec.delegateFacts ? run.hostEnv(spec.reportAs) : host;
  // what set_fact and include_vars set are variables; the rest (setup ...) facts clear_facts drops
  const plainVars = mod.name === 'set_fact' || mod.name === 'include_vars';
  for (const [k, v] of Object.entries(outcome.facts ?? {}))
    if (plainVars) factsHost.setVar(k, v);
    else factsHost.setFact(k, v);

  const changes = outcome.changes.some((c) => !c.reportedUnchanged);
  const result: Record<string, unknown> = { ...(outcome.result ?? {}), changed: changes };
  if ((checking || spec.alwaysCheck) && !spec.runInCheck) {
    const predicted = predictStep(host, spec, outcome, result, report, vars);
    if (!spec.background) return predicted;
    const later = new Unknown(`job of "${spec.name}"`);
    return {
      ...predicted,
      result: {
        ...predicted.result,
        ansible_job_id: later,
        results_file: later,
        started: true,
        finished: false,
      },
    };
  }
  return spec.background
    ? startJob(run, host, spec, vars, outcome, result, report)
    : applyStep(run, host, spec, vars, outcome, result, report);
}
