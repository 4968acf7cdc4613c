/**
 * Modules describe, the executor acts. A module reads the host through read-only probes and
 * returns the changes it would make, each with a summary, an optional diff, and an action as
 * data. An empty list means converged. No module ever runs an action itself.
 */
import type { Facts } from '../facts/gather.ts';
import type { ExecResult } from '../transport/types.ts';
import type { BridgeRequest } from './library/action-bridge.ts';
import type { PathState, PathWant } from './path-batch.ts';

export type Action =
  | {
      kind: 'exec';
      command: string;
      stdin?: string | Buffer;
      okCodes?: number[];
      /** A failure says what the command's last line of stderr says (a module's own error words). */
      errorFromStderr?: true;
      /** What a failure shows as the command, where `command` is quorum's wrapping of it (command, shell). */
      shown?: string;
    }
  /** A host's file to the controller (fetch), checked against the sha256 the plan read. */
  | { kind: 'fetch'; src: string; dest: string; sha256: string }
  /** Controller files removed (a backup folder's oldest). */
  | { kind: 'local-remove'; paths: string[] }
  /** A program run on the controller (synchronize's rsync), its words as shlex splits `line`. */
  | { kind: 'controller-exec'; line: string }
  | {
      kind: 'write';
      path: string;
      /** Text, or bytes (a binary file: sent base64-encoded and decoded on the host). */
      content: string | Buffer;
      mode?: string;
      owner?: string;
      group?: string;
      /** A command that must accept the new file (`%s` is its temporary path) before it is installed. */
      validate?: string;
      /**
       * What a refusal by `validate` says: copy's and template's bare "failed to validate", else
       * (lineinfile, blockinfile, replace, assemble) "failed to validate: rc:N error:STDERR".
       */
      validateFailure?: 'bare';
      /** false: the folder must exist (Ansible's copy and template); else it is made, as mkdir -p. */
      parents?: false;
    }
  /** Reboot the host and wait until it is back (src/execute/reboot.ts). */
  | RebootAction
  /** A module ansible-core runs through its action plugin, by ansible-core over this host's connection (library/action-bridge.ts). */
  | { kind: 'ansible-action'; request: BridgeRequest; environment?: Record<string, string> };

/** What the executor needs to reboot a host and wait for it. */
export interface RebootAction {
  kind: 'reboot';
  bootTimeCommand: string;
  /** The shutdown program as given (an absolute path, or a name to look for in searchPaths). */
  program: string;
  /** Its arguments ('' for none: Ansible still joins them with a space). */
  args: string;
  searchPaths: string[];
  testCommand: string;
  timeoutSeconds: number;
  postRebootDelay: number;
  connectTimeoutSeconds?: number;
}

export interface FileDiff {
  path: string;
  before: string;
  after: string;
}

export interface Change {
  summary: string;
  action: Action;
  diff?: FileDiff;
  /**
   * Work whose effect only its output tells (an apt cache refresh): in apply mode a change only
   * if this says so; a check run predicts it as one.
   */
  changedIf?: (stdout: string) => boolean;
  /**
   * Work the module reports as no change whatever it does (uri's request without dest): run in
   * apply mode, reported ok; a check run predicts ok and does not run it.
   */
  reportedUnchanged?: true;
}

export interface ModuleOutcome {
  changes: Change[];
  /** Read-only work done after the changes in apply mode (waiting for a port); never a change. */
  waits?: Action[];
  /** Values for `register` (merged with the results of actions in apply mode). */
  result?: Record<string, unknown>;
  /** Variables to set on the host (set_fact). */
  facts?: Record<string, unknown>;
  /** A message to show (debug). */
  message?: string;
  /** The step does nothing and says why, reported as skipped (debug above the run's verbosity). */
  skipped?: string;
  /** The module failed while probing (assert, a bad state): no action runs. */
  failed?: string;
  /**
   * The failure is the task's arguments', whatever state the host is in: a check run reports it
   * as the failure it is, even after predicted changes (else it is "known after apply").
   */
  failedOnInput?: true;
  /** The outcome cannot be known without running it (an unguarded command). */
  unpredictable?: boolean;
  /** Render results whose output only exists after apply (command stdout). */
  producesOutput?: boolean;
  /**
   * The output's trailing line breaks are stripped (command and shell: Ansible's
   * strip_empty_ends); else it is registered as printed (raw, script).
   */
  outputEnds?: 'newlines' | 'kept';
  /** Registered values made from the last action's output (tempfile's path): known after apply in a check run. */
  outputResult?: {
    keys: string[];
    from(stdout: string): Record<string, unknown>;
    /** A check run registers the planned values of these keys (not unknown): the module's check mode returns them. */
    checkKeeps?: true;
    /** The module's own failure told by the output of a command that ran (uri's status not accepted). */
    failed?(stdout: string): string | undefined;
    /** Facts the output sets on the host (a module's `ansible_facts`). */
    facts?(stdout: string): Record<string, unknown> | undefined;
    /** The change's diff as the output tells it (a module of the content's own answers its `diff`). */
    diff?(stdout: string): Change['diff'];
  };
  /**
   * A read-only command run after the step's changes were made, its output registered (copy's
   * uid, mode, size of the file it wrote); in a check run those keys are known after apply.
   */
  readAfter?: { command: string; keys: string[]; from(stdout: string): Record<string, unknown> };
  /** Values the step handles that must never be shown (a Secret object's data). */
  secrets?: string[];
  /** The in-memory inventory grows (group_by, add_host): applied by the run, check runs too. */
  inventory?: InventoryChange;
}

/** What group_by and add_host ask of the run's inventory, as Ansible's action plugins return it. */
export type InventoryChange =
  | { addGroup: string; parents: string[] }
  | { addHost: { name: string; groups: string[]; vars: Record<string, unknown> } };

export interface ProbeContext {
  host: string;
  /** Gathered the first time a step asks: a play whose steps never ask costs no gathering. */
  facts(): Promise<Facts>;
  become: boolean;
  /** The task's become_user, when it names one. */
  becomeUser?: string;
  /** The task registers its result: a read only a registered result needs is worth its cost here. */
  registers?: boolean;
  /** Run a read-only command on the host. */
  probe(command: string): Promise<ExecResult>;
  /**
   * The same for a command whose answer depends only on `files` (dpkg-query on dpkg's database):
   * answered from the controller while the host lists them as when it was last run (kept-probes.ts).
   */
  probeKept?(command: string, files: string[]): Promise<ExecResult>;
  /** The same, with bytes on its stdin (an archive on the controller that tar compares). */
  probeInput?(command: string, stdin: Buffer): Promise<ExecResult>;
  /** What a path is (links not followed) and, when asked, a regular file's content or checksum. */
  probePath(path: string, want?: PathWant): Promise<PathState>;
  /** Read a controller-side file (copy src, template src) relative to the play or role. */
  readLocal(path: string, kind: 'files' | 'templates' | 'vars'): string;
  /** The same file's bytes, whatever they are (copy's src, a script). */
  readLocalBytes(path: string, kind: 'files'): Buffer;
  /** A controller path as a task's relative `src` is found (files/, then the folder); the playbook's folder when none is there. */
  localPath?(path: string, kind?: 'files' | 'templates' | 'vars'): string;
  /** A controller-side folder's files (relative path -> bytes; folders end with /), if it is one. */
  listLocal?(path: string, kind: 'files' | 'templates'): Map<string, Buffer> | undefined;
  /** The host's variables, for templates. */
  vars: Record<string, unknown>;
  /** The folders a task's relative controller paths are looked for in (its role's first). */
  searchDirs?: string[];
  /** Where a relative vars file is found (the role's vars/, then the folder), as include_vars reads it. */
  localVarsPath?(path: string): string;
  /** How many -v the run was given (debug's verbosity threshold). */
  verbosity?: number;
  /** This step is predicted, not applied (a check run, `check_mode: true`): a module that runs its own check mode (library_module) asks. */
  checkMode?: boolean;
  /** A check run has predicted changes on this host before this step: what it reads may not be so after them. */
  predictedBefore?: boolean;
  /** Diffs are shown for this step (--diff, or the task's `diff`). */
  diff?: boolean;
  /** The task's no_log. */
  noLog?: boolean;
}

export interface ModuleDef<P = Record<string, unknown>> {
  name: string;
  /** quorum writes such tasks itself (a library module's, an action plugin's): not listed, not for playbooks. */
  internal?: true;
  /** Ansible names this module also answers to (apt for package, ...). */
  aliases?: string[];
  /** Plans with parameters known only after apply (it passes them on and changes nothing). */
  plansUnknown?: boolean;
  /** Ansible's other names of parameters: alias -> the parameter (`dest` -> `path`). */
  paramAliases?: Record<string, string>;
  /**
   * Parameters an Ansible task does not have and always gets with these values (copy's and
   * template's `parents: false`: Ansible makes no missing folders; a TypeScript role's call may).
   */
  ansibleFixed?: Record<string, unknown>;
  /** Parameters that Ansible's action plugin writes as JSON when given a dict or a list (copy's content). */
  jsonParams?: string[];
  /** JSON schema of params; a string form (`command: ls -l`) becomes `{ [freeForm]: s }`. */
  schema: Record<string, unknown>;
  freeForm?: string;
  /**
   * false: never probe this module's step ahead of its turn. For probes that are arbitrary
   * user commands, whose answer may depend on when they run, not only on the host's state.
   */
  prefetch?: false;
  /**
   * 'all': when a check run knows the params only after apply, the whole registered value is
   * (async_status: the job's result has whatever fields its module returns), not rc and stdout.
   */
  unknownResult?: 'all';
  plan(ctx: ProbeContext, params: P): Promise<ModuleOutcome>;
  /**
   * Offline checks of params with nothing left to the run (quorum validate and the start of
   * play, before any host is touched): each string is an error.
   */
  check?(
    params: P,
    readLocal: ProbeContext['readLocal'],
    listLocal?: ProbeContext['listLocal'],
    readLocalBytes?: ProbeContext['readLocalBytes'],
  ): string[];
}

export function defineModule<P>(def: ModuleDef<P>): ModuleDef<P> {
  return def;
}
