/**
 * `async: N` with `poll: 0`: the task is started and the play goes on; `async_status` reads how
 * it ended. As Ansible, the job's record is `~/.ansible_async/<jid>` on the host, and the task
 * itself reports changed with `{ansible_job_id, started, finished: false, results_file}`.
 *
 * A command or shell task runs on the host in the background (setsid, bounded by N seconds),
 * its output and exit code in files beside the record. Any other module's work is made of
 * several controller-driven steps that cannot outlive the controller's turn: it runs to its
 * end at once (bounded by N), and its result is written to the record for async_status, which
 * then finds it finished. The outcome async_status reports is the same; only the time differs.
 */
import { randomInt } from 'node:crypto';
import { asyncDir } from '../modules/async-status.ts';
import type { ModuleOutcome } from '../modules/types.ts';
import { quote } from '../transport/shell.ts';
import { runAction } from './actions.ts';
import { withEnvironment } from './become.ts';
import type { HostEnv } from './host.ts';
import type { RunState } from './state.ts';
import { applyStep } from './step-apply.ts';
import type { StepReport } from './step-report.ts';
import type { StepOutcome, StepSpec } from './step-spec.ts';

/** The modules whose Ansible action plugin refuses `async` ("does not support async"). */
export const NO_ASYNC = new Set([
  'add_host',
  'assemble',
  'assert',
  'async_status',
  'copy',
  'debug',
  'fail',
  'fetch',
  'gather_facts',
  'group_by',
  'include_vars',
  'pause',
  'raw',
  'reboot',
  'script',
  'set_fact',
  'set_stats',
  'template',
  'unarchive',
  'validate_argument_spec',
  'wait_for_connection',
]);

/** A job id as Ansible's: j, twelve digits, the controller's pid. */
const newJobId = () => `j${randomInt(100_000_000_000, 999_999_999_999)}.${process.pid}`;

const STAMP = "date '+%Y-%m-%d %H:%M:%S.%6N'";

/** Shell that starts `command` detached, bounded by `seconds`, its ends in files beside the record. */
function backgroundCommand(dir: string, jid: string, command: string, seconds: number): string {
  const job = `timeout -k 5 ${seconds} sh -c ${quote(command)} >"$1.out" 2>"$1.err" </dev/null; echo $? >"$1.rc.tmp"; ${STAMP} >"$1.end"; mv "$1.rc.tmp" "$1.rc"`;
  return [
    `d=${dir}; mkdir -p "$d" && chmod 0700 "$d" || exit 1`,
    `f="$d/${jid}"`,
    `printf '{"started": 1, "finished": 0, "ansible_job_id": "%s"}\\n' ${quote(jid)} >"$f"`,
    `${STAMP} >"$f.start"`,
    `setsid sh -c ${quote(job)} sh "$f" </dev/null >/dev/null 2>&1 &`,
    'echo "$f"',
  ].join('\n');
}

/** Shell that writes a finished job's result as its record; prints the record's path. */
function recordCommand(dir: string, jid: string): string {
  return `d=${dir}; mkdir -p "$d" && chmod 0700 "$d" && cat >"$d/${jid}" && echo "$d/${jid}"`;
}

/** A report that keeps what a step would say instead of saying it. */
function quietReport(): { report: StepReport; failure: () => string | undefined } {
  let failure: string | undefined;
  return {
    report: {
      emit: (status, _changes, extra = {}) => {
        if (status === 'failed') failure = extra.error?.message ?? 'failed';
      },
      fail: (error, _input, registered) => {
        failure = error.message;
        return {
          status: 'failed',
          changed: false,
          result: { ...registered, failed: true, msg: error.message },
        };
      },
    },
    failure: () => failure,
  };
}

export async function startJob(
  run: RunState,
  host: HostEnv,
  spec: StepSpec,
  vars: Record<string, unknown>,
  outcome: ModuleOutcome,
  planned: Record<string, unknown>,
  report: StepReport,
): Promise<StepOutcome> {
  const jid = newJobId();
  const become = spec.become || !!spec.becomeUser;
  const [only] = outcome.changes;
  const detached =
    outcome.producesOutput &&
    outcome.changes.length === 1 &&
    !outcome.waits?.length &&
    only.action.kind === 'exec';
  let resultsFile: string;
  if (detached && only.action.kind === 'exec') {
    if (run.options.runLock) await run.locks.take(host.name, host.transport, become);
    host.invalidateProbes();
    const command = withEnvironment(only.action.command, spec.environment);
    const { result, failure } = await runAction(
      host.transport,
      { kind: 'exec', command: backgroundCommand(asyncDir(vars), jid, command, spec.asyncSeconds ?? 0) },
      become,
      spec.becomeUser,
    );
    if (failure) return report.fail({ message: `the job could not be started: ${result.stderr.trim()}` });
    resultsFile = result.stdout.trim();
  } else {
    const quiet = quietReport();
    const done = await applyStep(run, host, spec, vars, outcome, planned, quiet.report);
    const why = quiet.failure();
    const record = why ? { ...done.result, failed: true, msg: why, changed: false } : done.result;
    const { result, failure } = await runAction(
      host.transport,
      { kind: 'exec', command: recordCommand(asyncDir(vars), jid), stdin: `${JSON.stringify(record)}\n` },
      become,
      spec.becomeUser,
    );
    if (failure)
      return report.fail({ message: `the job's record could not be written: ${result.stderr.trim()}` });
    resultsFile = result.stdout.trim();
  }
  report.emit('changed', outcome.changes, { message: `started as job ${jid}` });
  return {
    status: 'changed',
    changed: true,
    result: { ansible_job_id: jid, started: true, finished: false, results_file: resultsFile, changed: true },
  };
}
