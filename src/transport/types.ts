/**
 * How quorum reaches a host. Everything goes through `exec`; file writes are commands with
 * stdin. Each call says whether it only reads (`probe`) or changes the host (`action`):
 * check mode must never issue an action, and the recording transport proves it.
 */
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type ExecPurpose = 'probe' | 'action';

export interface ExecOptions {
  purpose: ExecPurpose;
  stdin?: string | Buffer;
  /** Run as root through sudo when the connection user is not root. */
  become?: boolean;
  timeoutMs?: number;
  /**
   * Run beside the commands in flight, not after them (an SSH transport's shell runs its
   * commands in order): releasing run leases on Ctrl-C while a long command still runs.
   */
  aside?: boolean;
}

export interface Transport {
  readonly host: string;
  /** The connection's user is root: `become` changes nothing (probes with and without it may share a command). */
  readonly asRoot?: boolean;
  exec(command: string, options: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
  /**
   * meta: reset_connection: the next command runs in a new login session (a group the user was
   * just added to applies). Transports without sessions have nothing to reset.
   */
  reset?(): Promise<void>;
}

/** The host could not be reached at all (connection refused, timeout, auth). */
export class UnreachableError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnreachableError';
  }
}
