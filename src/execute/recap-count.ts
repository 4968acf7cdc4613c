/**
 * The recap's counts, as ansible-playbook's stats count task results: one result per task and
 * host, a loop's items folded into it (failed if one failed, changed if one changed, skipped
 * only if every item was); a failure ignore_errors lets pass is ok and ignored (and changed when
 * its result says so: a command that ran and failed), a rescued one
 * rescued; what a host never ran (it failed earlier, the play ended for it, an include did not
 * include it) counts nowhere, nor does a meta task, as in Ansible.
 */
import type { HostRecap, RunEvent } from '../report/events.ts';

type StepEvent = Extract<RunEvent, { type: 'step' }>;

export class RecapCounter {
  /** Per host, the looped task whose items are still coming. */
  private readonly open = new Map<string, { node: string; task: string; steps: StepEvent[] }>();
  /** Nodes that reported a step. */
  private readonly reported = new Set<string>();

  constructor(private readonly recap: Record<string, HostRecap>) {}

  on(e: RunEvent): void {
    if (e.type === 'step') this.step(e);
    else if (e.type === 'unreachable' && this.recap[e.host]) this.recap[e.host].unreachable = 1;
    else if (e.type === 'node_end') this.nodeEnd(e);
  }

  private step(e: StepEvent): void {
    this.reported.add(e.node);
    // meta tasks are no task results in Ansible's stats (ran or skipped); a failed one still fails
    if (e.module === 'meta' && e.status !== 'failed') return;
    // a looped include is a result per item, as each item's file is included on its own
    if (/^include_(tasks|role)$/.test(e.module)) {
      this.close(e.host);
      this.count(e.host, [e]);
      return;
    }
    const open = this.open.get(e.host);
    if (open && e.item !== undefined && open.node === e.node && open.task === e.task) {
      open.steps.push(e);
      return;
    }
    this.close(e.host);
    if (e.item !== undefined) this.open.set(e.host, { node: e.node, task: e.task, steps: [e] });
    else this.count(e.host, [e]);
  }

  private nodeEnd(e: Extract<RunEvent, { type: 'node_end' }>): void {
    this.close(e.host);
    const r = this.recap[e.host];
    if (!r) return;
    if (e.status === 'failed' && r.failed === 0) r.failed = 1;
    // a node skipped without a step of its own counts only when its own condition skipped it (a
    // role whose `when` is false), not when its host or what it needs never got there
    if (e.status === 'skipped' && !this.reported.has(e.id) && e.reason === 'condition is false') r.skipped++;
  }

  private close(host: string): void {
    const open = this.open.get(host);
    if (!open) return;
    this.open.delete(host);
    this.count(host, open.steps);
  }

  private count(host: string, steps: StepEvent[]): void {
    const r = this.recap[host];
    if (!r) return;
    const failure = steps.find((s) => s.status === 'failed');
    if (failure && !failure.ignored) {
      if (failure.rescued) r.rescued++;
      else r.failed++;
      return;
    }
    if (!failure && steps.every((s) => s.status === 'skipped')) {
      r.skipped++;
      return;
    }
    r.ok++;
    if (failure) r.ignored++;
    // check mode: what depends on earlier changes (or is known only after apply) may change
    const predicted = (s: StepEvent) => s.status === 'would_change' && (s.maybe || s.prediction);
    const changed = (s: StepEvent) =>
      s.status === 'changed' ||
      (s.status === 'failed' && s.changed) ||
      (s.status === 'would_change' && !predicted(s));
    if (steps.some(changed)) r.changed++;
    else if (steps.some(predicted)) r.maybe++;
  }
}
