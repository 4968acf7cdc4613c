/** Per-host state for one run: its connection, facts, registered variables and status. */
import { factKey, gatherAnsibleFacts } from '../facts/ansible-names.ts';
import { type Facts, gatherFacts } from '../facts/gather.ts';
import type { PlanNode } from '../plan/graph.ts';
import type { Transport } from '../transport/types.ts';
import { LearnedProbes } from './learned-probes.ts';
import { PendingHandlers } from './pending-handlers.ts';
import { ProbeCache } from './probe-cache.ts';

export class HostEnv {
  /** Variables set during the run (register, set_fact); they outlive plays, as in Ansible. */
  readonly runtimeVars: Record<string, unknown> = {};
  /** Resolved variables per play, valid until a runtime variable is set. */
  private readonly resolved = new Map<number, Record<string, unknown>>();
  failed = false;
  /** meta: clear_host_errors in this play (by index): failed, the host still runs the plays after it. */
  errorsClearedIn?: number;
  /** The play in which the host last failed (force_handlers runs its handlers still). */
  failedInPlay?: number;
  /** Plays a `meta: end_host` (end_batch) ended for this host, by play index, with the meta's name: their other nodes are skipped. */
  readonly endedPlays = new Map<number, string>();
  /** Uses of Ansible roles a `meta: end_role` ended for this host (TaskSpec.roleInstance). */
  readonly endedRoles = new Set<number>();

  roleEnded(instance: number | undefined): boolean {
    return instance !== undefined && this.endedRoles.has(instance);
  }
  /**
   * Check mode: what each step predicted to change on this host touches (see execute/maybe.ts);
   * after any, later probes may see a state the run would not leave.
   */
  readonly predictedScopes: string[] = [];
  unreachable = false;
  private factsPromise?: Promise<Facts>;
  private ansibleFactsPromise?: Promise<Record<string, unknown>>;
  private ansibleFactsPath?: string;
  readonly probes: ProbeCache;
  /** What this host's role nodes asked on the last run (learned-probes.ts). */
  readonly learned: LearnedProbes;
  /** Handlers notified here and not run yet, by this run or an earlier one. */
  readonly pending: PendingHandlers;

  /**
   * Steps another host's node runs here (delegated) go beside this host's own pipeline: an exec
   * channel of their own on the same connection and a probe cache of their own, so neither
   * waits for the other's commands (a join's read of cp1 beside cp1's own add-ons).
   */
  private asideLane?: { transport: Transport; probes: ProbeCache };

  aside(): { transport: Transport; probes: ProbeCache } {
    if (!this.asideLane) {
      const own = this.transport;
      const transport: Transport = {
        host: own.host,
        get asRoot() {
          return own.asRoot;
        },
        // the transport bounds its channels (ssh.ts); a local one runs them all at once as before
        exec: (command, options) => own.exec(command, { ...options, aside: true }),
        // the connection is the host's own: closed with it
        close: async () => {},
      };
      this.asideLane = { transport, probes: new ProbeCache(transport) };
    }
    return this.asideLane;
  }

  /** After a change on this host, what either lane read before is stale. */
  invalidateProbes() {
    this.probes.invalidate();
    this.asideLane?.probes.invalidate();
  }

  constructor(
    readonly name: string,
    readonly transport: Transport,
    /** This host's plan nodes in the order it runs them (those of its run's current segment). */
    public nodes: PlanNode[] = [],
  ) {
    this.probes = new ProbeCache(transport);
    this.pending = new PendingHandlers(transport, this.probes);
    this.learned = new LearnedProbes(name);
  }

  /** Variables a facts module set (setup, package_facts ...): what `meta: clear_facts` drops. */
  private readonly factNames = new Set<string>();
  /**
   * What facts modules set, under their names inside `ansible_facts` (Ansible's fact cache seen
   * through vars/clean.py's namespace_facts: the `ansible_` prefix off, `ansible_local` kept).
   */
  private readonly moduleFacts: Record<string, unknown> = {};

  /** A fact a module set: a variable of its own name and a key of `ansible_facts`; `ansible_facts` itself joins them. */
  setFact(name: string, value: unknown) {
    if (name === 'ansible_facts' && value && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(this.moduleFacts, value);
      this.varsChanged();
      return;
    }
    this.factNames.add(name);
    this.moduleFacts[factKey(name)] = value;
    this.setVar(name, value);
  }

  /** `ansible_facts` as a task sees it: the facts gathered for it (if any), under what modules set since. */
  factsVar(gathered?: Record<string, unknown>): Record<string, unknown> {
    return { ...gathered, ...this.moduleFacts };
  }

  /**
   * meta: clear_facts: the gathered facts go (set_fact's variables stay, as in Ansible). quorum
   * gathers facts when a task first names them, so the next such task gathers them afresh.
   */
  clearFacts() {
    for (const name of this.factNames) delete this.runtimeVars[name];
    this.factNames.clear();
    for (const name of Object.keys(this.moduleFacts)) delete this.moduleFacts[name];
    this.factsPromise = undefined;
    this.ansibleFactsPromise = undefined;
    this.playGathered = false;
    this.varsChanged();
  }

  /** The inventory changed (group_by, add_host): the plays' variables are resolved again. */
  forgetVars() {
    this.varsChanged();
  }

  /**
   * Counts changes of the host's run-time variables and facts: a loop takes a set_fact's (or an
   * include_vars') value of one item into the next item's variables, as Ansible's loop does.
   */
  varsVersion = 0;

  private varsChanged() {
    this.resolved.clear();
    this.varsVersion++;
  }

  setVar(name: string, value: unknown) {
    this.runtimeVars[name] = value;
    this.varsChanged();
  }

  /** A play's resolved variables for this host, computed once per change of runtime variables. */
  varsFor(play: number, resolve: () => Record<string, unknown>): Record<string, unknown> {
    let vars = this.resolved.get(play);
    if (!vars) this.resolved.set(play, (vars = resolve()));
    return vars;
  }

  /**
   * A play that gathers facts ran on this host in this run: later plays see them, as Ansible's
   * do. (A module asking for quorum's own facts is not Ansible gathering them: what setup
   * gathers, filtered or not, is in what modules set.)
   */
  get gathered(): boolean {
    return this.playGathered;
  }
  private playGathered = false;

  markGathered() {
    this.playGathered = true;
  }

  facts(): Promise<Facts> {
    this.factsPromise ??= gatherFacts(this.transport);
    return this.factsPromise;
  }

  /**
   * The facts under Ansible's names, for content written for Ansible: quorum's own and the
   * further ones Ansible's setup collects (one more probe, only for hosts whose tasks name them).
   */
  /** Ansible's facts, local facts read from `factPath` (a play's fact_path): gathered again for another path. */
  ansibleFacts(factPath?: string): Promise<Record<string, unknown>> {
    if (this.ansibleFactsPath !== factPath) this.ansibleFactsPromise = undefined;
    this.ansibleFactsPath = factPath;
    this.ansibleFactsPromise ??= this.facts().then((core) =>
      gatherAnsibleFacts(this.transport, core, factPath),
    );
    return this.ansibleFactsPromise;
  }
}
