/** A playbook after loading and validation: plays, role references and inline tasks, all located. */

import type { SourceLocation } from '../errors.ts';
import type { LateVarsFile } from './late-vars-files.ts';

export interface TaskSpec {
  name: string;
  module: string;
  /** Params as written (templates not yet rendered). */
  params: Record<string, unknown>;
  when?: unknown;
  loop?: unknown;
  register?: string;
  notify: string[];
  listen: string[];
  tags: string[];
  become?: boolean;
  /** become_user: the step's commands run as this user (through root). */
  becomeUser?: string;
  ignoreErrors: boolean;
  changedWhen?: unknown;
  failedWhen?: unknown;
  vars: Record<string, unknown>;
  noLog: boolean;
  /** no_log written as a template: rendered per host when the task runs (noLog is true until then). */
  noLogTemplate?: string;
  /** delegate_facts written as a template: rendered per host when the task runs (`omit`: false). */
  delegateFactsTemplate?: string;
  /** The task's place in the order the playbook was read (a public include_role reaches the later ones). */
  seq?: number;
  /** any_errors_fatal on the task (or its block): its failure on any host stops every host. */
  anyErrorsFatal?: boolean;
  /** At most this many hosts run this task at once (Ansible's throttle). */
  throttle?: number;
  /** Runs on the first host that reaches it; every host of the play gets its result. */
  runOnce: boolean;
  /** `retries` without `until`: the task is tried again while it fails (ansible-core 2.19). */
  retryWhileFailed?: boolean;
  /** Retry until this condition holds (with `register`'s result in scope). */
  until?: unknown;
  retries: number | string;
  /** Seconds between attempts (a template is rendered per host). */
  delay: number | string;
  /** Ansible's `async` (with a `poll` of seconds): the longest the task's commands may run. */
  asyncSeconds?: number | string;
  /** Ansible's `timeout`: each attempt fails after this many seconds (0: none); may be a template. */
  timeout?: number | string;
  /** The host unreachable in this task: registered and counted as ignored, the host goes on. */
  ignoreUnreachable?: boolean;
  /**
   * remote_user / port on the task: Ansible logs in so for this task unless a variable names the
   * user or port (variables beat keywords); quorum takes them where they change nothing (run-plan.ts).
   */
  login?: { user?: string; port?: number; location?: SourceLocation };
  /** `poll` with async: 0 starts the task and goes on (a template is rendered per host). */
  asyncPoll?: number | string;
  location: SourceLocation;
  /** Where each param key sits, for errors after templating. */
  paramsNode: object;
  /** How the loop's value becomes its items (Ansible's with_* forms). */
  loopKind?: 'loop' | 'first_found' | 'flattened' | 'lookup';
  /** loop_control: the item's name, the index's name, what the report shows for an item. */
  loopVar?: string;
  indexVar?: string;
  loopLabel?: string;
  /** with_items, with_dict, with_lines ...: the lookup whose list of the loop's value the items are. */
  loopLookup?: string;
  /** loop_control.pause: seconds between one item and the next. */
  loopPause?: number;
  /** Role defaults of the Ansible role the task comes from: below every other variable. */
  /** `run_once` / `throttle` / `check_mode` written as templates: rendered before the plan (plan/play-keywords.ts). */
  templatedKeywords?: Record<string, { text: string; location?: SourceLocation }>;
  /** The role's params (`- role: x` keys, include_role vars): above set_fact, below -e, as in Ansible. */
  roleParams?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
  /** Folders searched first for the task's files and templates (its role's). */
  searchDirs?: string[];
  /** Variables the task may set at run time (set_fact keys, include_vars files' keys). */
  defines?: string[];
  /** Ansible's environment: variables exported for the task's commands (templates allowed). */
  environment?: Record<string, unknown>;
  /** Runs on this host (a template) on behalf of the task's host: Ansible's delegate_to. */
  delegateTo?: string;
  /** Facts the delegated step sets go to the delegate (Ansible's delegate_facts), not this host. */
  delegateFacts?: boolean;
  /** A failure here is caught by this block's rescue/always (a host variable records it). */
  rescueBlock?: string;
  /** A file of a templated include quorum cannot run, failing where it would run: why (file:line:col). */
  refused?: string;
  /** What `refused` refuses: an include's file (the default) or the task's own module. */
  refusedModule?: true;
  /** Not a task: where `meta: flush_handlers` stood. */
  flushHandlers?: boolean;
  /** `meta: end_host`: where it runs (its `when` true), the play ends for this host, not failed. */
  endHost?: boolean;
  /**
   * `meta: end_play` / `end_batch`: decided once, by the batch's first host (as ansible-core's
   * linear strategy runs these meta tasks once); true, the play (or the batch) ends for every
   * host of it, its notified handlers not run. No host of the batch goes past it before then.
   */
  endPlay?: 'play' | 'batch';
  /**
   * Where an include_tasks with its own `when` stood: that condition is asked once, here, as
   * ansible-core asks it of the include (not again of each included task); the host variable
   * named here keeps the answer, which the included tasks' conditions read.
   */
  includeGate?: string;
  /**
   * An include_tasks without a condition of its own: its head only reports the include (ok,
   * "included: FILE", as ansible-playbook shows and counts it); its tasks are not gated on it.
   */
  reportsOnly?: boolean;
  /** The own conditions of the include_tasks this task came from: validate skips what they rule out. */
  includeWhen?: unknown[];
  /**
   * The conditions of the include_tasks that bring this task (its gate, the file a templated name
   * chose): false, the task was never included, and, as in Ansible, is neither run nor reported.
   */
  includeGuards?: unknown[];
  /** The tags of each include_tasks around this task (they select the include, not its tasks). */
  includeTags?: string[][];
  /** A looped include_tasks / include_role: these tasks run once per item, in order, on each host. */
  includeLoop?: TaskSpec[];
  /** The file (or role) an include_tasks / include_role names, for its report line. */
  included?: string;
  /** An include_tasks' file as written and its other arguments: what its `register` holds. */
  includeFile?: string;
  includeArgs?: Record<string, unknown>;
  /** Where a templated include's relative name is found once rendered (its report line names the file). */
  includedFrom?: string[];
  /** Which use of an Ansible role the task comes from (meta: end_role ends that one for a host). */
  roleInstance?: number;
  /** A meta task (end_host, clear_facts, ...): which one; it runs as a step of its own. */
  meta?: string;
  /** A role's handler: the role as the play names it, shown before the handler's name when it runs. */
  handlerOf?: string;
  /** `meta: end_role`: the role's later tasks are skipped for this host; its handlers still run. */
  endRole?: boolean;
  /** `meta: reset_connection`: the host's next command runs in a new login session. */
  resetConnection?: boolean;
  /** `meta: clear_facts`: the host's gathered facts are dropped; the next use gathers them again. */
  clearFacts?: boolean;
  /** `meta: clear_host_errors`: the play's failed hosts run in the later plays again. */
  clearHostErrors?: boolean;
  /** `meta: refresh_inventory`: the inventory is read again; a change fails the step (hosts are planned before the run). */
  refreshInventory?: boolean;
  /** Runs in check mode too (`check_mode: false` on a read-only command). */
  runInCheck?: boolean;
  /** `check_mode: false` on a task that changes the host: a check run still only predicts it. */
  notRunInCheck?: boolean;
  /** `check_mode: true`: predicted, never run, in an apply run too. */
  alwaysCheck?: boolean;
  /** The task cannot change the host (read-only module, command under changed_when: false): kept for a templated check_mode. */
  readOnly?: boolean;
  /** `diff: true|false`: this task's file diffs shown or not, whatever --diff says. */
  diff?: boolean;
  /** diff written as a template: rendered per host when the task runs (no diff until then). */
  diffTemplate?: string;
}

export interface RoleRef {
  role: string;
  params: Record<string, unknown>;
  tags: string[];
  when?: unknown;
  /** At most this many hosts run this role at once. */
  throttle?: number;
  location: SourceLocation;
  paramsNode: object;
}

/** `flush`: the handlers notified so far run here (meta: flush_handlers; and at the play's end). */
export type PlayItem = { kind: 'role'; ref: RoleRef } | { kind: 'task'; task: TaskSpec } | { kind: 'flush' };

export interface Play {
  index: number;
  name: string;
  /** The play has a `name:` of its own (else `name` is "play N"; Ansible names it by its hosts). */
  named?: boolean;
  hosts: string | string[];
  vars: Record<string, unknown>;
  items: PlayItem[];
  handlers: TaskSpec[];
  serial?: Array<number | string>;
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  become: boolean;
  becomeUser?: string;
  tags: string[];
  /** vars_prompt: values asked for before the run (or given with -e, or their default). */
  prompts?: PromptSpec[];
  /** The login user for hosts whose inventory names none (ansible_user wins, as in Ansible). */
  remoteUser?: string;
  gatherFacts: boolean;
  /** vars_files entries read per host when its first task of the play runs (late-vars-files.ts). */
  lateVarsFiles?: LateVarsFile[];
  /** The folder the play's file is in (late vars_files are found from it). */
  dir?: string;
  /** fact_path: where its gathering reads local facts (Ansible's /etc/ansible/facts.d unless set). */
  factPath?: string;
  /** force_handlers: a host that fails still runs the handlers notified before, at the play's flush. */
  forceHandlers?: boolean;
  /** order: the order of the play's hosts (inventory unless set), which serial batches follow. */
  order?: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';
  barrier: boolean;
  location: SourceLocation;
  /** Where `vars` came from, lowest first, and its roles' own variables: for `quorum vars`. */
  varSources?: PlayVarSources;
  /** The roles the magic variables ansible_play_role_names and kin name. */
  roleNames?: PlayRoleNames;
  /** Keywords written as templates, rendered before the plan (src/plan/play-keywords.ts). */
  templated?: Record<string, { text: unknown; location?: SourceLocation }>;
}

export interface VarsSource {
  source: string;
  vars: Record<string, unknown>;
}

/** ansible-core's play.roles and their dependencies, which its magic variables name. */
export interface PlayRoleNames {
  /** `roles:` and import_role, in the order met. */
  play: string[];
  /** Every dependency of those (meta/main.yml, all the way down). */
  dependent: string[];
  /** include_role: named from the tasks read after it (seq), with its dependencies. */
  included: Array<{ after: number; role: string; dependencies: string[] }>;
}

export interface PlayVarSources {
  /** import_playbook vars, play vars, vars_files in order (what `vars` merges). */
  play: VarsSource[];
  /** The roles of `roles:`: an Ansible role's defaults/main and vars/main, and the entry's params. */
  roles: Array<{
    role: string;
    defaults?: Record<string, unknown>;
    vars?: Record<string, unknown>;
    params: Record<string, unknown>;
  }>;
}

export interface PromptSpec {
  name: string;
  prompt: string;
  default?: string | number | boolean;
  /** Not echoed, and a secret of the run (Ansible's default: true). */
  private: boolean;
  confirm: boolean;
  location: SourceLocation;
}

export interface Playbook {
  file: string;
  dir: string;
  /** Every folder a play comes from (the playbook's and those of the files it imports). */
  dirs: string[];
  plays: Play[];
}
