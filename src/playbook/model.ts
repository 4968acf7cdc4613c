/** A playbook after loading and validation: plays, role references and inline tasks, all located. */
import type { SourceLocation } from '../errors.ts';

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
  ignoreErrors: boolean;
  changedWhen?: unknown;
  failedWhen?: unknown;
  vars: Record<string, unknown>;
  noLog: boolean;
  /** At most this many hosts run this task at once (Ansible's throttle). */
  throttle?: number;
  /** Runs on the first host that reaches it; every host of the play gets its result. */
  runOnce: boolean;
  /** Retry until this condition holds (with `register`'s result in scope). */
  until?: unknown;
  retries: number;
  /** Seconds between attempts. */
  delay: number;
  location: SourceLocation;
  /** Where each param key sits, for errors after templating. */
  paramsNode: object;
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

export type PlayItem = { kind: 'role'; ref: RoleRef } | { kind: 'task'; task: TaskSpec };

export interface Play {
  index: number;
  name: string;
  hosts: string | string[];
  vars: Record<string, unknown>;
  items: PlayItem[];
  handlers: TaskSpec[];
  serial?: Array<number | string>;
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  become: boolean;
  tags: string[];
  gatherFacts: boolean;
  barrier: boolean;
  location: SourceLocation;
}

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
}
