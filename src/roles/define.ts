/**
 * Roles are typed TypeScript: `defineRole({ name, params, needs, run })`. `params` is a JSON
 * schema typed with ajv's JSONSchemaType<P>, so the TypeScript type of `run`'s params and the
 * validation of the playbook's values cannot drift apart.
 */
import type { JSONSchemaType } from 'ajv';
import type { Facts } from '../facts/gather.ts';
import type { BlockParams } from '../modules/blockinfile.ts';
import type { CommandParams } from '../modules/command.ts';
import type { CopyParams, TemplateParams } from '../modules/copy.ts';
import type { FileParams } from '../modules/file.ts';
import type { K8sParams } from '../modules/k8s.ts';
import type { LineParams } from '../modules/lines.ts';
import type { GetUrlParams } from '../modules/net.ts';
import type { PackageParams } from '../modules/package-params.ts';
import type { ServiceParams } from '../modules/service.ts';
import type { ModprobeParams, SysctlParams } from '../modules/system.ts';
import type { WaitForParams } from '../modules/wait-for.ts';
import { isUnknown } from '../template/unknown.ts';

/** H: the role's handler names (RoleDefinition's second type parameter), so tsc catches a typo. */
export interface StepOptions<H extends string = string> {
  /** Shown in the report; defaults to the module name and its main parameter. */
  name?: string;
  /** Handlers (of this role) to run at the end of the role when this step changed something. */
  notify?: H | H[];
  become?: boolean;
  /** Hide the step's parameters, output and errors from every report (it handles secrets). */
  noLog?: boolean;
  /** Repeat the step until this holds (at most `retries` more times, `delay` seconds apart). */
  until?: (result: StepResult) => boolean;
  retries?: number;
  delay?: number;
}

export interface QueryParams {
  cmd: string;
  /** Exit codes that are answers rather than failures (default [0]). */
  ok_codes?: number[];
  /**
   * The files the answer depends on, and nothing else (DPKG_DATABASE for dpkg-query): the last
   * answer is kept on the controller and serves while the host lists them the same (one `stat`).
   */
  kept_by?: string[];
}

export interface PublishOptions {
  secret?: boolean;
  /** When the value stops being valid (ms since the epoch, as Date.now()). */
  expiresAt?: number;
  /**
   * Makes a fresh value on the producer's host when a consumer finds this one expired
   * (lookupFresh); it publishes the new value itself.
   */
  refresh?: () => Promise<void>;
}

export interface StepResult<R = Record<string, unknown>> {
  changed: boolean;
  /** What the module reported (stat results, command rc/stdout...). In check mode, values that
   * exist only after apply are KnownAfterApply: read them with known(). */
  result: R;
}

/** A value a check run (or a read-only run) cannot have: it exists only after the apply. */
export interface KnownAfterApply {
  readonly reason: string;
}
export type MaybeKnown<T> = T | KnownAfterApply;

/** What command, shell and query report. A query's values are always known. */
export interface CommandResult extends Record<string, unknown> {
  rc?: MaybeKnown<number>;
  stdout?: MaybeKnown<string>;
  stderr?: MaybeKnown<string>;
}

/** The value, or undefined where it is known only after apply (or absent). */
export function known<T>(value: MaybeKnown<T> | undefined): T | undefined {
  return value === undefined || isUnknown(value) ? undefined : (value as T);
}

export interface RoleContext<H extends string = string> {
  readonly host: string;
  readonly facts: Facts;
  /** The host's variables (inventory, play vars, extra vars). */
  readonly vars: Record<string, unknown>;
  /** Hosts of a pattern, in play order (e.g. all control-plane nodes). */
  hosts(pattern: string): string[];
  /** Another host's variables (for peer addresses). */
  hostVars(host: string): Record<string, unknown>;
  ensure(module: string, params: Record<string, unknown>, options?: StepOptions<H>): Promise<StepResult>;
  command(params: CommandParams, options?: StepOptions<H>): Promise<StepResult<CommandResult>>;
  shell(params: CommandParams, options?: StepOptions<H>): Promise<StepResult<CommandResult>>;
  file(params: FileParams, options?: StepOptions<H>): Promise<StepResult>;
  copy(params: CopyParams, options?: StepOptions<H>): Promise<StepResult>;
  template(params: TemplateParams, options?: StepOptions<H>): Promise<StepResult>;
  lineinfile(params: LineParams, options?: StepOptions<H>): Promise<StepResult>;
  blockinfile(params: BlockParams, options?: StepOptions<H>): Promise<StepResult>;
  package(params: PackageParams, options?: StepOptions<H>): Promise<StepResult>;
  service(params: ServiceParams, options?: StepOptions<H>): Promise<StepResult>;
  sysctl(params: SysctlParams, options?: StepOptions<H>): Promise<StepResult>;
  modprobe(params: ModprobeParams, options?: StepOptions<H>): Promise<StepResult>;
  getUrl(params: GetUrlParams, options?: StepOptions<H>): Promise<StepResult>;
  waitFor(params: WaitForParams, options?: StepOptions<H>): Promise<StepResult>;
  /** Kubernetes objects applied with the host's kubectl (diff as the probe; see the k8s module). */
  k8s(params: K8sParams, options?: StepOptions<H>): Promise<StepResult>;
  /** A read-only command whose output the role reads (rc, stdout, stderr); it runs in check mode too. */
  query(params: QueryParams, options?: StepOptions<H>): Promise<StepResult<CommandResult>>;
  /** Render one of the role's templates (templates/NAME.hbs) with the host's vars plus `extra`. */
  render(template: string, extra?: Record<string, unknown>): string;
  /** Queue a handler of this role (runs once, at the end of the role). */
  notify(handler: H): void;
  /** Make a value available to roles on other hosts that `need` this role. */
  publish(key: string, value: unknown, options?: PublishOptions): void;
  /** A value published by `role` (on `host`, or on the only host that ran it). */
  lookup(role: string, key: string, host?: string): unknown;
  /**
   * Like lookup, for values with a lifetime: when the value expires within `validFor` seconds,
   * the producer's `refresh` makes a new one first (once, however many hosts ask at once).
   */
  lookupFresh(role: string, key: string, options?: { validFor?: number; host?: string }): Promise<unknown>;
  /** Mark a value secret: it is redacted from every report, log and diff. */
  secret<T>(value: T): T;
  /** Stop this role on this host with a message (a failure, reported as data). */
  fail(message: string): never;
  /**
   * The same helpers, run on another host of the inventory for this role (Ansible's
   * delegate_to): a join gate asks the first control-plane node about etcd. Steps are
   * reported as this host's, named "ROLE (on HOST): ...", as Ansible reports them.
   */
  delegateTo(host: string): Promise<DelegatedContext>;
  /**
   * Whether another host of the inventory answers (its connection opens), for a role that must
   * go on without it (a node being removed may be gone): one that does not is a warning, never
   * this host's failure.
   */
  reachable(host: string): Promise<boolean>;
  /** Report a warning (a `warning` event): shown, never a failure. */
  warn(message: string): void;
}

/** The helpers that make steps: what a role runs on another host through ctx.delegateTo. */
export const STEP_HELPERS = [
  'ensure',
  'command',
  'shell',
  'file',
  'copy',
  'template',
  'lineinfile',
  'blockinfile',
  'package',
  'service',
  'sysctl',
  'modprobe',
  'getUrl',
  'waitFor',
  'k8s',
  'query',
] as const satisfies ReadonlyArray<keyof RoleContext>;

/**
 * Another host as ctx.delegateTo returns it: its name, facts and variables, and the step
 * helpers, whose steps are reported as the delegating host's. Everything else (lookup, publish,
 * fail, warn, hosts ...) stays on the role's own ctx.
 */
export type DelegatedContext = Pick<RoleContext, 'host' | 'facts' | 'vars' | (typeof STEP_HELPERS)[number]>;

export type Handler<P, H extends string = string> = (ctx: RoleContext<H>, params: P) => Promise<void>;

/** What a role's offline check sees: every host it will run on, with resolved params. */
export interface RolePlanEntry<P> {
  host: string;
  params: P;
  vars: Record<string, unknown>;
}

export interface CheckContext {
  /** Every role the playbook runs (for mutual exclusions). */
  roles: string[];
  /** Hosts of a pattern in the inventory, with their variables. */
  hosts(pattern: string): Array<{ name: string; vars: Record<string, unknown> }>;
}

/**
 * P: the params (their JSON schema is typed from it). H: the handler names; give them
 * (`defineRole<Params, 'restart app'>`) and every notify is checked by tsc as well as at run.
 */
export interface RoleDefinition<P, H extends string = string> {
  name: string;
  description: string;
  params: JSONSchemaType<P>;
  /** Roles that must have finished (on every host that runs them) before this one starts. */
  needs?: string[];
  /** At most this many hosts run this role at once, whatever --forks says (1: one by one). */
  throttle?: number;
  /**
   * The keys this role publishes (ctx.publish refuses others). With `--limit`, a role that a
   * limited host's role needs runs read-only on hosts outside the limit only if it publishes
   * something: undeclared counts as publishing (safe), `[]` says it only orders.
   */
  publishes?: string[];
  handlers?: Record<H, Handler<P, H>>;
  /** Offline checks across all hosts (quorum validate and the start of play): each string
   * returned is an error that names the value at fault. */
  check?(entries: Array<RolePlanEntry<P>>, ctx: CheckContext): string[];
  run(ctx: RoleContext<H>, params: P): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds roles of every param type
export type AnyRole = RoleDefinition<any, string> & { dir: string };

export function defineRole<P, H extends string = string>(def: RoleDefinition<P, H>): RoleDefinition<P, H> {
  return def;
}

/** Param names whose values must never be shown (schema property with `secret: true`). */
export function secretParams(schema: { properties?: Record<string, unknown> }): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, s]) => (s as { secret?: boolean }).secret === true)
    .map(([k]) => k);
}
