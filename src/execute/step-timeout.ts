/**
 * Ansible's task `timeout`: each attempt of a step fails after N seconds, registered as 2.19
 * registers it. The attempt left behind is cut off: it reports nothing more, starts no further
 * command (probes and actions ask `spec.abort`), and the host's connection is reset so that the
 * next step does not queue behind the command still running there. That command itself is not
 * stopped: it runs to its end on the host, as a timed-out Ansible module does.
 */
import type { RunEvent } from '../report/events.ts';
import type { HostEnv } from './host.ts';
import type { RunState } from './state.ts';
import { stepReport } from './step-report.ts';
import type { StepOutcome, StepSpec } from './step-spec.ts';

/** Thrown where an abandoned attempt would have run its next command. */
export class StepAborted extends Error {
  constructor() {
    super('the step timed out');
    this.name = 'StepAborted';
  }
}

export function throwIfAborted(spec: StepSpec): void {
  if (spec.abort?.aborted) throw new StepAborted();
}

// 2.19 registers it (deprecated for 2.23, still there)
const FRAME = 'Configure `DISPLAY_TRACEBACK` to see a traceback on timeout errors.';

export async function withTimeout(
  run: RunState,
  host: HostEnv,
  nodeId: string,
  spec: StepSpec,
  emitEvent: (e: RunEvent) => void,
  attempt: (spec: StepSpec, emitEvent: (e: RunEvent) => void) => Promise<StepOutcome>,
): Promise<StepOutcome> {
  const seconds = spec.timeout;
  if (!seconds) return attempt(spec, emitEvent);
  const abort = new AbortController();
  const attempted = attempt({ ...spec, abort: abort.signal }, (e) => {
    if (!abort.signal.aborted) emitEvent(e);
  });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), seconds * 1000);
  });
  const first = await Promise.race([attempted, expired]).finally(() => clearTimeout(timer));
  if (first !== 'expired') return first;
  abort.abort();
  attempted.catch(() => {}); // what it does after this is nobody's outcome
  await (spec.reportAs !== undefined ? host.aside().transport : host.transport).reset?.();
  const message = `Task failed: Timed out after ${seconds} second(s).`;
  return stepReport(run, host, nodeId, spec, false, emitEvent).fail({ message }, true, {
    timedout: { frame: FRAME, period: seconds },
  });
}
