/**
 * What a failure means for the rest of the run: the failed host runs nothing more, a node whose
 * need failed (or was blocked) on another host is skipped as blocked, and a play's
 * any_errors_fatal or max_fail_percentage stops every host; a batch whose every host failed
 * ends its play.
 */
import type { PlanNode, PlayTargets } from '../plan/graph.ts';
import type { HostEnv } from './host.ts';
import type { NodeResult } from './state.ts';

export class FailurePolicy {
  /** Why every node not started yet is skipped (a play's limit was passed). */
  aborted?: string;
  private readonly failedInPlay = new Map<number, Set<string>>();
  /** Plays whose later batches do not run, with why. */
  private readonly endedPlays = new Map<number, string>();

  constructor(
    private readonly targets: PlayTargets[],
    private readonly byId: Map<string, PlanNode>,
    private readonly results: Map<string, NodeResult>,
  ) {}

  /** The node's skip, before it starts, when its host or what it needs already failed. */
  skipBefore(node: PlanNode, host: HostEnv): NodeResult | undefined {
    if (host.unreachable) return { status: 'skipped', reason: `${node.host} is unreachable` };
    // clear_host_errors: a failed host sits out the rest of that play and runs the next ones (2.19)
    const cleared = host.errorsClearedIn !== undefined && node.play.index > host.errorsClearedIn;
    // force_handlers: the handlers notified before the failure still run, where the play flushes them
    const forced = node.play.forceHandlers && host.failedInPlay === node.play.index && flushes(node);
    if (host.failed && !cleared && !forced)
      return { status: 'skipped', reason: `${node.host} failed earlier` };
    if (this.aborted) return { status: 'skipped', reason: this.aborted, blocked: true };
    const ended = this.endedPlays.get(node.play.index);
    if (ended && !forced) return { status: 'skipped', reason: ended, blocked: true };
    for (const dep of node.deps) {
      const r = this.results.get(dep);
      const d = this.byId.get(dep);
      if (node.orderOnly?.has(dep)) continue;
      if (
        d &&
        d.host !== node.host &&
        r &&
        (r.status === 'failed' || r.status === 'unreachable' || r.blocked)
      )
        return {
          status: 'skipped',
          blocked: true,
          reason: `needs ${d.label} which ${r.status === 'skipped' ? 'was skipped' : 'failed'} on ${d.host}`,
        };
    }
    return undefined;
  }

  /** A node failed: its host runs nothing more, and the play's limits may stop the run. */
  failed(node: PlanNode, host: HostEnv): void {
    host.failed = true;
    host.failedInPlay = node.play.index;
    host.errorsClearedIn = undefined;
    const play = node.play;
    const failed = this.lostIn(node);
    const fatal = play.anyErrorsFatal || (node.item.kind === 'task' && node.item.task.anyErrorsFatal);
    if (fatal) this.aborted = `any_errors_fatal: ${node.host} failed in play "${play.name}"`;
    if (play.maxFailPercentage !== undefined) {
      const batch = this.batchOf(node);
      const inBatch = batch.filter((h) => failed.has(h)).length;
      if (batch.length && (inBatch / batch.length) * 100 > play.maxFailPercentage)
        this.aborted = `max_fail_percentage ${play.maxFailPercentage}% exceeded in play "${play.name}" (${inBatch} of ${batch.length} hosts failed)`;
    }
    this.wholeBatch(node, failed);
  }

  /** A host became unreachable: it counts against its batch as a failed one does. */
  unreachable(node: PlanNode): void {
    this.wholeBatch(node, this.lostIn(node));
  }

  private lostIn(node: PlanNode): Set<string> {
    const lost = this.failedInPlay.get(node.play.index) ?? new Set<string>();
    lost.add(node.host);
    this.failedInPlay.set(node.play.index, lost);
    return lost;
  }

  private batchOf(node: PlanNode): string[] {
    const target = this.targets.find((t) => t.play === node.play);
    return target?.batches.find((b) => b.includes(node.host)) ?? [];
  }

  /**
   * Every host of a batch failed or was unreachable: the play's later batches do not run, as in
   * ansible-playbook (which ends the whole run there; quorum's later plays may already run on
   * other hosts, so they go on where they do not depend on this play).
   */
  private wholeBatch(node: PlanNode, lost: Set<string>) {
    const batch = this.batchOf(node);
    if (!this.endedPlays.has(node.play.index) && batch.length && batch.every((h) => lost.has(h)))
      this.endedPlays.set(
        node.play.index,
        `every host of the batch (${batch.join(', ')}) failed in play "${node.play.name}": its later batches do not run`,
      );
  }
}

/** A node that runs the play's notified handlers: the play's end, or a meta: flush_handlers. */
const flushes = (node: PlanNode) =>
  node.item.kind === 'flush' || (node.item.kind === 'task' && node.item.task.flushHandlers === true);
