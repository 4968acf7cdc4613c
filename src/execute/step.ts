/**
 * One step on one host: validate params, probe, compute the changes (the module's job), then
 * (unless in check mode) run them and any waits. This is the only place actions happen.
 */

import { InputError } from '../errors.ts';
import { findModule } from '../modules/registry.ts';
import type { Change, ModuleOutcome, ProbeContext } from '../modules/types.ts';
import { validator } from '../playbook/ajv.ts';
import { explainParam, mostUseful } from '../playbook/errors.ts';
import { listLocalDir, readLocalBytes, readLocalFile } from '../playbook/local-files.ts';
import type { RunEvent, StepError, StepStatus } from '../report/events.ts';
import { evaluateWhen } from '../template/expr.ts';
import { MissingVariable } from '../template/render.ts';
import { containsUnknown, Unknown } from '../template/unknown.ts';
import { UnreachableError } from '../transport/types.ts';
import { runAction } from './actions.ts';
import { asUser, withEnvironment } from './become.ts';
import type { HostEnv } from './host.ts';
import { ANYTHING, dependsOnEarlier, scopeOf } from './maybe.ts';
import { HostBusy } from './run-lock.ts';
import type { RunState } from './state.ts';
import type { StepOutcome, StepSpec } from './step-spec.ts';

export type { StepOutcome, StepSpec } from './step-spec.ts';

function tail(text: string, lines = 5): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  if (spec.until === undefined) return attemptStep(run, host, nodeId, spec, vars, (e) => run.emit(e));
  const retries = spec.retries ?? 3;
  for (let attempt = 1; ; attempt++) {
    const events: RunEvent[] = [];
    const outcome = await attemptStep(run, host, nodeId, spec, vars, (e) => events.push(e));
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
      if (!holds && !predicted && outcome.status !== 'failed') {
        // the condition never held: the step fails, as Ansible's "retries exhausted"
        const error = { message: raised ?? `until condition still false after ${attempt} attempt(s)` };
        // as any failure: ignore_errors and a block's rescue see it
        const ignored = spec.ignoreErrors || undefined;
        const rescued = (!spec.ignoreErrors && spec.rescued) || undefined;
        for (const e of events)
          if (e.type === 'step') Object.assign(e, { status: 'failed', error, ignored, rescued });
        for (const e of events) run.emit(e);
        const result = { ...outcome.result, attempts: attempt, failed: true, msg: error.message };
        return ignored || rescued
          ? { status: 'ok', changed: false, result }
          : { status: 'failed', changed: false, result, error };
      }
      for (const e of events) run.emit(e);
      return { ...outcome, result: { ...outcome.result, attempts: attempt } };
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
  const emit = (
    status: StepStatus,
    changes: Change[],
    extra: Partial<StepOutcome> & {
      message?: string;
      unpredictable?: boolean;
      prediction?: boolean;
      ignored?: boolean;
      rescued?: boolean;
      maybe?: boolean;
    } = {},
  ) => {
    const hidden = spec.noLog;
    emitEvent({
      type: 'step',
      host: spec.reportAs ?? host.name,
      node: nodeId,
      task: spec.name,
      module: spec.module,
      status,
      changes: hidden
        ? changes.map(() => ({ summary: '(hidden: no_log)' }))
        : changes.map((c) => ({
            summary: c.summary,
            diff: (spec.diff ?? run.options.diff) ? c.diff : undefined,
          })),
      unpredictable: extra.unpredictable || undefined,
      prediction: extra.prediction || undefined,
      message: hidden ? undefined : extra.message,
      // a no_log step's failure says that it failed, never what it printed
      error:
        hidden && extra.error
          ? { message: 'failed (details hidden: no_log)', exitCode: extra.error.exitCode }
          : extra.error,
      item: spec.item,
      ...(extra.ignored ? { ignored: true } : {}),
      ...(extra.rescued ? { rescued: true } : {}),
      ...(extra.maybe ? { maybe: true } : {}),
    });
  };
  /** `input`: the task itself is wrong (params, a template): never a prediction, always a failure. */
  const fail = (error: StepError, input = false, registered: Record<string, unknown> = {}): StepOutcome => {
    if (checking && host.predictedScopes.length > 0 && !input) {
      // the host is not yet in the state earlier steps would leave it in: this step cannot be
      // probed honestly before apply, so its outcome (and any value it yields) is unknown
      const earlier = host.predictedScopes.length;
      host.predictedScopes.push(ANYTHING);
      emit(
        'would_change',
        [
          {
            summary: `${spec.name}: cannot be checked before earlier changes apply`,
            action: { kind: 'exec', command: ':' },
          },
        ],
        {
          prediction: true,
          // the probe's failure is expected: what it reads does not exist until earlier steps run
          message: `known after apply: probing it now fails because ${earlier} earlier change(s) on this host have not been made (${error.message})`,
        },
      );
      return { status: 'would_change', changed: true, result: unknownResult(spec.name) };
    }
    const status: StepStatus = spec.ignoreErrors || spec.rescued ? 'ok' : 'failed';
    emit('failed', [], { error, ignored: spec.ignoreErrors, rescued: !spec.ignoreErrors && spec.rescued });
    return {
      status,
      changed: false,
      // as in Ansible, an ignored failure still registers as failed (`when: r is failed`)
      result: { ...registered, failed: true, msg: error.message },
      error: spec.ignoreErrors || spec.rescued ? undefined : error,
    };
  };
  if (!mod) return fail({ message: `unknown module ${spec.module}` }, true);

  // a module that only passes its values on (set_fact) plans with values known after apply
  if (checking && containsUnknown(spec.params) && !mod.plansUnknown) {
    const change: Change = {
      summary: `${spec.name}: parameters known after apply`,
      action: { kind: 'exec', command: ':' },
    };
    emit('would_change', [change], { prediction: true });
    return {
      status: 'would_change',
      changed: true,
      result: { changed: true, stdout: new Unknown(spec.name), rc: new Unknown(spec.name) },
    };
  }
  const check = validator(mod.schema);
  if (!check(spec.params)) {
    const names = Object.keys((mod.schema as { properties?: object }).properties ?? {});
    const problem = explainParam(mostUseful(check.errors ?? []), spec.params, names);
    return fail(
      { message: `${spec.module}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}` },
      true,
    );
  }

  const ctx: ProbeContext = {
    host: host.name,
    facts: () => host.facts(),
    become: spec.become,
    vars,
    probe: (command) =>
      host.probes.probe(
        {
          command: asUser(withEnvironment(command, spec.environment), spec.becomeUser),
          become: spec.become || !!spec.becomeUser,
        },
        spec.environment || spec.becomeUser ? undefined : spec.lookahead,
      ),
    probePath: (path, want) =>
      host.probes.probePath({ path: { path, ...want }, become: spec.become }, spec.lookahead),
    readLocal: (path, kind) => readLocalFile(spec.searchDirs, path, kind),
    readLocalBytes: (path, kind) => readLocalBytes(spec.searchDirs, path, kind),
    listLocal: (path, kind) => listLocalDir(spec.searchDirs, path, kind),
  };
  let outcome: ModuleOutcome;
  try {
    outcome = await mod.plan(ctx, spec.params);
  } catch (e) {
    if (e instanceof UnreachableError) throw e;
    // a template that does not render (render.ts makes a parse error an InputError), a file that
    // is not there: the task's fault, not the host's
    const input = e instanceof InputError || e instanceof MissingVariable;
    return fail({ message: e instanceof InputError ? e.describe() : (e as Error).message }, input);
  }
  for (const secret of outcome.secrets ?? []) run.addSecret(secret);
  if (outcome.failed) return fail({ message: outcome.failed });
  for (const [k, v] of Object.entries(outcome.facts ?? {})) host.setVar(k, v);

  let result: Record<string, unknown> = { ...(outcome.result ?? {}), changed: outcome.changes.length > 0 };
  if ((checking || spec.alwaysCheck) && !spec.runInCheck) {
    if (outcome.producesOutput && outcome.changes.length) {
      const later = new Unknown(`output of "${spec.name}"`);
      result = { ...result, rc: later, stdout: later, stderr: later, stdout_lines: later };
    }
    // `changed_when: false` declares the step never changes anything: nothing to predict
    const neverChanges = spec.changedWhen === false || spec.changedWhen === 'false';
    const status: StepStatus = outcome.changes.length && !neverChanges ? 'would_change' : 'ok';
    let maybe = false;
    if (status === 'would_change') {
      const scope = scopeOf(spec.module, spec.params);
      maybe = dependsOnEarlier(scope, host.predictedScopes);
      host.predictedScopes.push(scope);
    }
    const waits = outcome.waits?.length ? outcome.message : undefined;
    const notRun =
      spec.notRunInCheck && status === 'would_change'
        ? "check_mode: false, but quorum's check run never changes a host: predicted, not run"
        : undefined;
    emit(status, outcome.changes, {
      unpredictable: outcome.unpredictable && outcome.changes.length > 0,
      message: waits ?? outcome.message ?? notRun,
      maybe,
    });
    return { status, changed: outcome.changes.length > 0, result };
  }

  const actions = [...outcome.changes.map((c) => c.action), ...(outcome.waits ?? [])];
  if (outcome.changes.length && run.options.runLock) {
    // no change before this run holds the host (another run's would interleave with ours)
    try {
      await run.locks.take(host.name, host.transport, spec.become || !!spec.becomeUser);
    } catch (e) {
      if (!(e instanceof HostBusy)) throw e;
      return fail({ message: e.message });
    }
  }
  if (actions.length) host.probes.invalidate();
  for (const action of actions) {
    const withEnv =
      action.kind === 'exec'
        ? { ...action, command: withEnvironment(action.command, spec.environment) }
        : action;
    const { result: r, failure } = await runAction(
      host.transport,
      withEnv,
      spec.become || !!spec.becomeUser,
      spec.becomeUser,
    );
    if (outcome.producesOutput) {
      result = {
        ...result,
        rc: r.code,
        stdout: r.stdout.trimEnd(),
        stderr: r.stderr.trimEnd(),
        stdout_lines: r.stdout.trimEnd().split('\n'),
      };
    }
    if (failure && !spec.failedWhen) {
      return fail(
        {
          message: `command failed with exit code ${r.code}`,
          command: failure.command,
          exitCode: r.code,
          stderrTail: tail(r.stderr || r.stdout),
        },
        false,
        // registered as Ansible registers a failed command: its rc and output too
        outcome.producesOutput
          ? { rc: result.rc, stdout: result.stdout, stderr: result.stderr, stdout_lines: result.stdout_lines }
          : {},
      );
    }
  }
  let changed = outcome.changes.length > 0;
  const condVars = spec.register ? { ...vars, [spec.register]: result } : vars;
  let failedWhen = false;
  try {
    if (spec.changedWhen !== undefined) changed = evaluateWhen(spec.changedWhen, condVars).value;
    failedWhen = spec.failedWhen !== undefined && evaluateWhen(spec.failedWhen, condVars).value;
  } catch (e) {
    // a condition that raises (an attribute that is not there, from_json on text) fails the
    // step as Ansible fails it: ignore_errors and rescue see it like any other failure
    return fail({ message: (e as Error).message });
  }
  result.changed = changed;
  if (failedWhen) {
    return fail({
      message: `failed_when matched: ${JSON.stringify(spec.failedWhen)}`,
      stderrTail: tail(String(result.stderr ?? '')),
    });
  }
  const status: StepStatus = changed ? 'changed' : 'ok';
  emit(status, changed ? outcome.changes : [], { message: outcome.message });
  return { status, changed, result };
}

/** A result whose every field is "known after apply". */
function unknownResult(step: string): Record<string, unknown> {
  const later = new Unknown(`result of "${step}"`);
  return {
    changed: true,
    rc: later,
    stdout: later,
    stderr: later,
    stdout_lines: later,
    content: later,
    text: later,
    stat: later,
  };
}
