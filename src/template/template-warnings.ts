/**
 * Warnings raised while a template renders (a lookup with errors='warn' that failed). Rendering
 * is synchronous and has no run to report to, so they wait here until the run's next event
 * carries them out (RunState.emit), as Ansible prints them before the task's result.
 */
const pending: string[] = [];

export function templateWarning(message: string): void {
  pending.push(message);
}

/** The warnings raised since the last call, oldest first. */
export function takeTemplateWarnings(): string[] {
  return pending.splice(0, pending.length);
}

/** How many warnings wait: what a look-ahead render adds after this mark it takes back. */
export function warningMark(): number {
  return pending.length;
}

/** Drops the warnings raised since `mark` (a render ahead of the step's turn warns at its turn). */
export function dropWarningsSince(mark: number): void {
  pending.splice(mark);
}
