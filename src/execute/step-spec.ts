/** What a step is asked to do (from a task or a role) and what came of it. */
import type { StepError, StepStatus } from '../report/events.ts';
import type { Lookahead, ProbeRequest } from './probe-cache.ts';

export interface StepSpec {
  name: string;
  module: string;
  params: Record<string, unknown>;
  become: boolean;
  noLog?: boolean;
  register?: string;
  changedWhen?: unknown;
  failedWhen?: unknown;
  ignoreErrors?: boolean;
  /** A failure is taken over by the enclosing block's rescue/always. */
  rescued?: boolean;
  item?: unknown;
  /** Folders searched for `files/` and `templates/` (role folder, playbook folder). */
  searchDirs: string[];
  /** The probes of the steps after this one, to send along with this step's first probe. */
  lookahead?: Lookahead;
  /** Told each probe the step asks that a later run may send ahead (learned-probes.ts). */
  noteProbe?: (r: ProbeRequest) => void;
  /** Report the step under this host: a step delegated to `host` on behalf of another. */
  reportAs?: string;
  /** A delegated step's facts go to the delegate (delegate_facts); else to the host it runs for. */
  delegateFacts?: boolean;
  /** Repeat the step until this holds: an expression (register's name in scope) or, in a role, a function. */
  until?: unknown;
  retries?: number;
  /** Seconds between attempts. */
  delay?: number;
  /** Ansible's async: the step's commands are stopped after this many seconds, and it fails. */
  asyncSeconds?: number;
  /** Ansible's `timeout`: each attempt fails after this many seconds (step-timeout.ts). */
  timeout?: number;
  /** Set when the attempt timed out: it must start no further command. */
  abort?: AbortSignal;
  /** `poll: 0` with async: started, and the play goes on (async-job.ts). */
  background?: boolean;
  /** Runs in check mode too: a command the playbook declares read-only (`check_mode: false`). */
  runInCheck?: boolean;
  /** `check_mode: false` on a change: Ansible would run it in check mode; quorum predicts it. */
  notRunInCheck?: boolean;
  /** `check_mode: true`: only predicted, in an apply run too. */
  alwaysCheck?: boolean;
  /** Its node is read-only (a host outside --limit that a limited host needs): a check run. */
  readOnly?: boolean;
  /** The task's `diff`: show this step's file diffs (or not) whatever --diff says. */
  diff?: boolean;
  /** Ansible's `environment`: variables exported for the step's commands (probes and actions). */
  environment?: Record<string, string>;
  /** become_user: the step's commands run as this user, reached through root. */
  becomeUser?: string;
  /** The handlers (handlerKey) a change of this step notifies: recorded on the host before it. */
  durable?: string[];
}

export interface StepOutcome {
  status: StepStatus;
  changed: boolean;
  result: Record<string, unknown>;
  /** What `register` keeps instead of result: a value wholly known only after apply. */
  registerAs?: unknown;
  error?: StepError;
}
