/**
 * A planned step, then: in a check run its prediction (what will change, and what may because
 * it depends on an earlier predicted change), else the changes made (the run lease, the
 * actions and waits) and its changed_when / failed_when.
 */
import { notExecuted } from '../modules/command-words.ts';
import type { Action, ModuleOutcome } from '../modules/types.ts';
import { pySplitLines } from '../py-splitlines.ts';
import type { StepStatus } from '../report/events.ts';
import { evaluateWhen } from '../template/expr.ts';
import { Unknown } from '../template/unknown.ts';
import { quote } from '../transport/shell.ts';
import { runAction, VALIDATE_REFUSED } from './actions.ts';
import { withEnvironment } from './become.ts';
import type { HostEnv } from './host.ts';
import { dependsOnEarlier, scopeOf } from './maybe.ts';
import { withReadAfter } from './read-after.ts';
import { HostBusy } from './run-lock.ts';
import type { RunState } from './state.ts';
import type { StepReport } from './step-report.ts';
import type { StepOutcome, StepSpec } from './step-spec.ts';
import { throwIfAborted } from './step-timeout.ts';

/** Python's datetime as the command module writes start and end (the controller's clock). */
function pyTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

/** What a command registers: its output, and for command and shell (`cmd`) also Ansible's msg and times. */
function commandResult(
  r: { code: number; stdout: string; stderr: string },
  isCommand: boolean,
  started: Date,
  ends: ModuleOutcome['outputEnds'],
) {
  const strip = (text: string) => (ends === 'newlines' ? text.replace(/[\r\n]+$/, '') : text);
  const stdout = strip(r.stdout);
  const stderr = strip(r.stderr);
  const out = {
    rc: r.code,
    stdout,
    stderr,
    stdout_lines: pySplitLines(stdout),
    stderr_lines: pySplitLines(stderr),
  };
  if (!isCommand) return out;
  const ended = new Date();
  const ms = ended.getTime() - started.getTime();
  const delta = `${Math.floor(ms / 3_600_000)}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
  return {
    ...out,
    msg: r.code === 0 ? '' : 'non-zero return code',
    start: pyTime(started),
    end: pyTime(ended),
    delta,
  };
}

function tail(text: string, lines = 5): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** timeout(1)'s exit code when it stopped the command. */
const TIMED_OUT = 124;

/** A command bounded by the task's `async` seconds (then TERM, and KILL 5 s later). */
function withinAsync(command: string, seconds: number | undefined): string {
  return seconds === undefined ? command : `timeout -k 5 ${seconds} sh -c ${quote(command)}`;
}

/** What a failed action says: Ansible's words for a timed-out async task, a write's own refusal. */
function actionFailure(spec: StepSpec, action: Action, r: { code: number; stderr: string }): string {
  if (spec.asyncSeconds !== undefined && r.code === TIMED_OUT)
    return `async task did not complete within the requested time - ${spec.asyncSeconds}s`;
  const refused = action.kind === 'write' ? r.stderr.indexOf(VALIDATE_REFUSED) : -1;
  if (action.kind === 'write' && refused >= 0)
    return action.validateFailure === 'bare' ? VALIDATE_REFUSED : r.stderr.slice(refused);
  // "Destination directory X does not exist" and the like: the write's last line of stderr
  const last = r.stderr.trim().split('\n').at(-1);
  const ownWords =
    action.kind === 'write' || action.kind === 'reboot' || (action.kind === 'exec' && action.errorFromStderr);
  if (ownWords && last) return last;
  return `command failed with exit code ${r.code}`;
}

/**
 * changed_when over the predicted result where it can be known (never on output yet to come), as
 * 2.19's check run asks it of the module's check result and registers what it answers.
 */
function judgedInCheck(
  spec: StepSpec,
  result: Record<string, unknown>,
  vars: Record<string, unknown>,
): boolean | undefined {
  if (spec.changedWhen === undefined) return undefined;
  try {
    const r = evaluateWhen(spec.changedWhen, spec.register ? { ...vars, [spec.register]: result } : vars);
    return r.unknown === undefined ? r.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * changed_when and failed_when over a result, as Ansible's TaskExecutor asks them (the result
 * under its register name for both). A condition that raises (an attribute that is not there,
 * from_json on text) fails the step as Ansible fails it: ignore_errors and rescue see it.
 */
export function taskConditions(
  spec: StepSpec,
  result: Record<string, unknown>,
  vars: Record<string, unknown>,
  changed: boolean,
): { changed: boolean; failed: boolean } | { error: string } {
  const condVars = spec.register ? { ...vars, [spec.register]: result } : vars;
  try {
    return {
      changed: spec.changedWhen === undefined ? changed : evaluateWhen(spec.changedWhen, condVars).value,
      failed: spec.failedWhen !== undefined && evaluateWhen(spec.failedWhen, condVars).value,
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** A failed result's `changed` as changed_when decides it: Ansible evaluates it on every result, a failed one too. */
function judgedChange(
  spec: StepSpec,
  registered: Record<string, unknown>,
  vars: Record<string, unknown>,
): Record<string, unknown> {
  if (spec.changedWhen === undefined) return registered;
  const judged = taskConditions(spec, registered, vars, registered.changed === true);
  return 'error' in judged ? registered : { ...registered, changed: judged.changed };
}

export function predictStep(
  host: HostEnv,
  spec: StepSpec,
  outcome: ModuleOutcome,
  planned: Record<string, unknown>,
  report: StepReport,
  vars: Record<string, unknown> = {},
): StepOutcome {
  let result = planned;
  if (outcome.producesOutput && outcome.changes.length) {
    const later = new Unknown(`output of "${spec.name}"`);
    result = { ...result, rc: later, stdout: later, stderr: later, stdout_lines: later, stderr_lines: later };
    if ('cmd' in result) result = { ...result, msg: later, start: later, end: later, delta: later };
  }
  // what the actions' output or a read after them would register is known after apply
  const afterApply = [
    ...(outcome.outputResult && !outcome.outputResult.checkKeeps ? outcome.outputResult.keys : []),
    ...(outcome.readAfter?.keys ?? []),
  ];
  if (afterApply.length && outcome.changes.length) {
    const later = new Unknown(`result of "${spec.name}"`);
    result = { ...result, ...Object.fromEntries(afterApply.map((k) => [k, later])) };
  }
  // `changed_when: false` declares the step never changes anything: nothing to predict; another
  // changed_when is asked of the predicted result, as Ansible's check does, where it can be known
  const judged =
    spec.changedWhen === false || spec.changedWhen === 'false' ? false : judgedInCheck(spec, result, vars);
  const predicted = outcome.changes.length > 0 && !outcome.changes.every((c) => c.reportedUnchanged);
  const status: StepStatus = (judged ?? predicted) ? 'would_change' : 'ok';
  result = { failed: false, ...result, changed: status === 'would_change' };
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
  report.emit(status, outcome.changes, {
    unpredictable: outcome.unpredictable && outcome.changes.length > 0,
    message: waits ?? outcome.message ?? notRun,
    maybe,
  });
  return { status, changed: status === 'would_change', result };
}

export async function applyStep(
  run: RunState,
  host: HostEnv,
  spec: StepSpec,
  vars: Record<string, unknown>,
  outcome: ModuleOutcome,
  planned: Record<string, unknown>,
  report: StepReport,
): Promise<StepOutcome> {
  let result = planned;
  const actions = [...outcome.changes.map((c) => c.action), ...(outcome.waits ?? [])];
  if (outcome.changes.length && run.options.runLock) {
    // no change before this run holds the host (another run's would interleave with ours)
    try {
      await run.locks.take(host.name, host.transport, spec.become || !!spec.becomeUser);
    } catch (e) {
      if (!(e instanceof HostBusy)) throw e;
      return report.fail({ message: e.message });
    }
  }
  if (outcome.changes.length && spec.durable?.length && run.options.durableHandlers) {
    // the handlers this change notifies are on the host before the change is: a run that stops
    // after it still leaves them to the next run (pending-handlers.ts)
    try {
      await host.pending.add(spec.durable, run.runId, spec.name);
    } catch (e) {
      run.emit({ type: 'warning', message: `${host.name}: ${(e as Error).message}` });
    }
  }
  if (actions.length) host.invalidateProbes();
  // per change: did it change anything (a changedIf asks the action's output)
  const effective: boolean[] = [];
  const shown = [...outcome.changes];
  for (const [index, action] of actions.entries()) {
    throwIfAborted(spec);
    const withEnv =
      action.kind === 'exec'
        ? {
            ...action,
            command: withinAsync(withEnvironment(action.command, spec.environment), spec.asyncSeconds),
          }
        : action.kind === 'ansible-action'
          ? { ...action, environment: spec.environment }
          : action;
    const started = new Date();
    const { result: r, failure } = await runAction(
      spec.reportAs !== undefined ? host.aside().transport : host.transport,
      withEnv,
      spec.become || !!spec.becomeUser,
      spec.becomeUser,
    );
    if (outcome.outputResult && !failure) {
      result = { ...result, ...outcome.outputResult.from(r.stdout) };
      for (const [k, v] of Object.entries(outcome.outputResult.facts?.(r.stdout) ?? {})) host.setFact(k, v);
    }
    // a module whose command ran and answered with its own failure (uri's status not accepted)
    const refused = failure ? undefined : outcome.outputResult?.failed?.(r.stdout);
    if (refused && spec.failedWhen === undefined)
      return report.fail({ message: refused }, false, { ...result, changed: false });
    // command and shell: a program that never ran fails unchanged, in the module's words
    const unrun = outcome.producesOutput && 'cmd' in planned ? notExecuted(r, planned.cmd) : undefined;
    if (unrun) {
      result = { ...result, ...unrun.result };
      if (spec.failedWhen === undefined)
        return report.fail({ message: unrun.message }, false, judgedChange(spec, result, vars));
      effective[index] = false;
      continue;
    }
    if (outcome.producesOutput)
      result = { ...result, ...commandResult(r, 'cmd' in planned, started, outcome.outputEnds) };
    if (failure && spec.failedWhen === undefined) {
      return report.fail(
        {
          message: actionFailure(spec, withEnv, r),
          command: failure.command,
          exitCode: r.code,
          stderrTail: tail(r.stderr || r.stdout),
        },
        false,
        // registered as Ansible registers a failed command: its rc and output too
        // a command that ran and failed is changed, as Ansible's command module reports it
        judgedChange(spec, outcome.producesOutput ? { ...result, changed: true } : {}, vars),
      );
    }
    const change = outcome.changes[index];
    if (change)
      effective[index] = !change.reportedUnchanged && (change.changedIf ? change.changedIf(r.stdout) : true);
    const told = change && !failure ? outcome.outputResult?.diff?.(r.stdout) : undefined;
    if (told) shown[index] = { ...change, diff: told };
  }
  if (outcome.readAfter && actions.length)
    result = await withReadAfter(host, spec, outcome.readAfter, result);
  const made = shown.filter((_, i) => effective[i] ?? true);
  let changed = made.length > 0;
  // Ansible registers `failed` with every result of a task that ran
  result = 'failed' in result ? { ...result, changed } : { failed: false, ...result, changed };
  const judged = taskConditions(spec, result, vars, changed);
  if ('error' in judged) return report.fail({ message: judged.error });
  changed = judged.changed;
  result.changed = changed;
  if (judged.failed) {
    // the module's whole result stays registered, as Ansible keeps it (r.stdout after failed_when)
    return report.fail(
      {
        message: `failed_when matched: ${JSON.stringify(spec.failedWhen)}`,
        stderrTail: tail(String(result.stderr ?? '')),
      },
      false,
      // 2.19's words when the module gave none
      {
        ...result,
        failed_when_result: true,
        msg: result.msg ?? 'Task failed: Action failed: Unknown error.',
      },
    );
  }
  const status: StepStatus = changed ? 'changed' : 'ok';
  report.emit(status, changed ? made : [], { message: outcome.message });
  return { status, changed, result };
}
