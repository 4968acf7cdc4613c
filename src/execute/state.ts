/** Run-wide state shared by every host: options, secrets, published values, the event stream. */
import type { LoadedInventory } from '../inventory/load.ts';
import type { PatternMatcher } from '../inventory/patterns.ts';
import { type NodeStatus, type Reporter, type RunEvent, redact } from '../report/events.ts';
import { newRunId } from '../report/journal.ts';
import type { AnyRole } from '../roles/define.ts';
import { takeTemplateWarnings } from '../template/template-warnings.ts';
import type { Transport } from '../transport/types.ts';
import type { HostEnv } from './host.ts';
import type { NodeProbes } from './learned-probes.ts';
import { RunLocks } from './run-lock.ts';

/** How one node of the plan ended. */
export interface NodeResult {
  status: NodeStatus;
  reason?: string;
  /** Skipped because something it needed failed: its own dependents are skipped too. */
  blocked?: boolean;
}

/** One role's run on one host, as its RoleContext and the engine see it. */
export interface RoleRunInfo {
  nodeId: string;
  role: AnyRole;
  become: boolean;
  searchDirs: string[];
  /** Handler names queued with the names of the steps that triggered them. */
  notified: Map<string, string[]>;
  /** True while a handler runs: its own notifies are ignored. */
  inHandler?: boolean;
  /** Set when any step of the role changed (or would change) something. */
  changed: boolean;
  /** Steps run on this host by a role running on another (delegateTo), reported as that host's. */
  onBehalfOf?: string;
  /** The node is read-only (outside --limit): its steps are a check run. */
  readOnly?: boolean;
  /** Hosts inside the limit for which this read-only node is renewing a published value now. */
  renewingFor?: string[];
  /** What the node asked on the last run goes ahead of its first probe; what it asks is noted. */
  probes?: NodeProbes;
}

export interface RunOptions {
  check: boolean;
  diff: boolean;
  forks: number;
  extraVars: Record<string, unknown>;
  tags: string[];
  skipTags: string[];
  limit?: string;
  verbose: number;
  /**
   * Take a lease on each host before its first change (run-lock.ts). Off for runs whose hosts
   * are this machine under a test runner, where many runs share it on purpose.
   */
  runLock: boolean;
  /**
   * Record notified handlers on their hosts until they ran (pending-handlers.ts). Off, like
   * runLock, where many test runs share this machine as their host.
   */
  durableHandlers: boolean;
}

/** A warning of the run about one host. */
export function warnOn(run: RunState, host: string): (message: string) => void {
  return (message) => run.emit({ type: 'warning', message: `${host}: ${message}` });
}

export class RunState {
  readonly runId = newRunId();
  readonly secrets = new Set<string>();
  /** This run's leases on the hosts it changes (run-lock.ts). */
  readonly locks = new RunLocks((message) => this.emit({ type: 'warning', message }));
  /** role -> host -> key -> value */
  readonly published = new Map<string, Map<string, Map<string, unknown>>>();
  /** run_once tasks by play item: the first host's run, which the other hosts wait for. */
  readonly once = new Map<string, Promise<{ result: NodeResult; host: string; registered: unknown }>>();
  /** Lifetimes of published values: `role host key` -> expiry and how to make a fresh one. */
  readonly lifetimes = new Map<
    string,
    {
      expiresAt: number;
      refresh?: () => Promise<void>;
      refreshing?: Promise<void>;
      /** The producing node's run (a read-only one renews for real when a limited host asks). */
      producer?: RoleRunInfo;
    }
  >();
  /** The run's state of a host by name (set by the scheduler), for steps delegated to it. */
  hostEnv: (name: string) => HostEnv = () => {
    throw new Error('no scheduler is running');
  };
  /** Every host of each play after --limit (ansible_play_hosts_all: ansible-core passes its limited host cache), by play index. */
  readonly playHostsAll = new Map<number, string[]>();
  /** Each play's serial batches (ansible_play_batch), by play index. */
  readonly playBatches = new Map<number, string[][]>();
  /**
   * A host failed, became unreachable or ended its play: from then on ansible_play_hosts and
   * ansible_play_batch are worked out for each step (node-vars.ts); until then they are fixed.
   */
  hostsLost = false;
  /** meta: end_play / end_batch decided true, by the node id of the batch's first host. */
  readonly endings = new Set<string>();
  /** Plays a meta: end_play ended for every host, later batches too. */
  readonly endedPlays = new Set<number>();
  /** A host's state if the run has started one for it (no connection is made). */
  hostEnvIfStarted: (name: string) => HostEnv | undefined = () => undefined;
  private readonly reporters: Reporter[] = [];
  /** The inventory's sources as given (meta: refresh_inventory reads them again). */
  inventorySources: string[] = [];
  /** group_by or add_host changed the inventory: later plays' hosts are matched again. */
  inventoryChanged = false;
  /** The hosts the run has started state for. */
  startedHosts: () => Iterable<HostEnv> = () => [];

  constructor(
    readonly options: RunOptions,
    readonly inventory: LoadedInventory,
    readonly matcher: PatternMatcher,
    readonly connect: (host: string) => Transport,
  ) {}

  setPlayHosts(play: number, batches: string[][]) {
    this.playHostsAll.set(play, batches.flat());
    this.playBatches.set(play, batches);
  }

  addReporter(r: Reporter) {
    this.reporters.push(r);
  }

  emit(event: RunEvent) {
    for (const message of takeTemplateWarnings()) this.report({ type: 'warning', message });
    this.report(event);
  }

  private report(event: RunEvent) {
    const safe = redact(event, this.secrets);
    for (const r of this.reporters) r(safe);
  }

  /** Strings inside a value become secrets (never shown anywhere). */
  addSecret(value: unknown) {
    if (typeof value === 'string' && value.length > 0) this.secrets.add(value);
    else if (Array.isArray(value)) for (const v of value) this.addSecret(v);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) this.addSecret(v);
  }

  publish(role: string, host: string, key: string, value: unknown) {
    let byHost = this.published.get(role);
    if (!byHost) this.published.set(role, (byHost = new Map()));
    let values = byHost.get(host);
    if (!values) byHost.set(host, (values = new Map()));
    values.set(key, value);
  }
}
