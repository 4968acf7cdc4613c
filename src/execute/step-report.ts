/**
 * How one attempt of a step reports itself: its step event (no_log and --diff applied) and its
 * failure, which in a check run after predicted changes on the host is a prediction instead.
 */
import type { Change } from '../modules/types.ts';
import type { RunEvent, StepError, StepStatus } from '../report/events.ts';
import { Unknown } from '../template/unknown.ts';
import type { HostEnv } from './host.ts';
import { ANYTHING } from './maybe.ts';
import type { RunState } from './state.ts';
import type { StepOutcome, StepSpec } from './step-spec.ts';

export interface StepReport {
  emit(
    status: StepStatus,
    changes: Change[],
    extra?: Partial<StepOutcome> & {
      message?: string;
      unpredictable?: boolean;
      prediction?: boolean;
      ignored?: boolean;
      rescued?: boolean;
      maybe?: boolean;
    },
  ): void;
  /** `input`: the task itself is wrong (params, a template): never a prediction, always a failure. */
  fail(error: StepError, input?: boolean, registered?: Record<string, unknown>): StepOutcome;
}

export function stepReport(
  run: RunState,
  host: HostEnv,
  nodeId: string,
  spec: StepSpec,
  checking: boolean,
  emitEvent: (e: RunEvent) => void,
): StepReport {
  const emit: StepReport['emit'] = (status, changes, extra = {}) => {
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
      ...(status === 'failed' && extra.changed ? { changed: true as const } : {}),
    });
  };
  const fail: StepReport['fail'] = (error, input = false, registered = {}) => {
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
    emit('failed', [], {
      error,
      ignored: spec.ignoreErrors,
      rescued: !spec.ignoreErrors && spec.rescued,
      changed: registered.changed === true,
    });
    return {
      status,
      changed: false,
      // as in Ansible, an ignored failure still registers as failed (`when: r is failed`)
      // Ansible registers `changed` with every result: false unless the module said otherwise
      // and 2.19 an `exception` with every failure; a module's own msg stays (command's
      // "non-zero return code")
      result: {
        changed: false,
        ...registered,
        failed: true,
        msg: registered.msg ?? error.message,
        exception: '(traceback unavailable)',
      },
      error: spec.ignoreErrors || spec.rescued ? undefined : error,
    };
  };
  return { emit, fail };
}

/** A result whose every field is "known after apply". */
export function unknownResult(step: string): Record<string, unknown> {
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
