/**
 * Connection progress a run reports: a host that does not answer is tried again, and saying so
 * beats 30 silent seconds. The run sets the listener; transports call it.
 */
export type ConnectRetryListener = (host: string, attempt: number, of: number, why: string) => void;

let listener: ConnectRetryListener | undefined;

export function onConnectRetry(fn: ConnectRetryListener | undefined) {
  listener = fn;
}

export function reportConnectRetry(host: string, attempt: number, of: number, why: string) {
  listener?.(host, attempt, of, why);
}
