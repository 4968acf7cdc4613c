/**
 * The plan's nodes in the order they may start: a node is ready once everything it depends on
 * has finished; ready nodes wait sorted by (play, item, host order), and a throttled node waits
 * in place while nodes behind it that may start do.
 */
import type { PlanNode } from '../plan/graph.ts';

function compareOrder(a: PlanNode, b: PlanNode): number {
  return a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2];
}

export class ReadyQueue {
  private readonly remaining = new Map<string, number>();
  private readonly dependents = new Map<string, PlanNode[]>();
  private readonly ready: PlanNode[];
  /** Running nodes per throttle key. */
  private readonly throttled = new Map<string, number>();

  constructor(nodes: PlanNode[]) {
    const ids = new Set(nodes.map((n) => n.id));
    for (const n of nodes) {
      const deps = [...n.deps].filter((d) => ids.has(d));
      this.remaining.set(n.id, deps.length);
      for (const d of deps) this.dependents.set(d, [...(this.dependents.get(d) ?? []), n]);
    }
    this.ready = nodes.filter((n) => this.remaining.get(n.id) === 0).sort(compareOrder);
  }

  get empty(): boolean {
    return this.ready.length === 0;
  }

  /** The next nodes to start, at most `slots`, skipping those their throttle holds back. */
  take(slots: number): PlanNode[] {
    const out: PlanNode[] = [];
    for (let i = 0; i < this.ready.length && out.length < slots; ) {
      const n = this.ready[i];
      if (!n.throttle || (this.throttled.get(n.throttle.key) ?? 0) < n.throttle.limit) {
        out.push(...this.ready.splice(i, 1));
        if (n.throttle) this.throttled.set(n.throttle.key, (this.throttled.get(n.throttle.key) ?? 0) + 1);
      } else i++;
    }
    return out;
  }

  /** A node finished: its throttle slot is free, and the nodes waiting only for it are ready. */
  finished(node: PlanNode): void {
    if (node.throttle) this.throttled.set(node.throttle.key, this.throttled.get(node.throttle.key)! - 1);
    for (const d of this.dependents.get(node.id) ?? []) {
      const left = this.remaining.get(d.id)! - 1;
      this.remaining.set(d.id, left);
      if (left === 0) this.enqueue(d);
    }
  }

  // kept sorted: inserting in place beats sorting the whole list after every finished node
  private enqueue(n: PlanNode) {
    let lo = 0;
    let hi = this.ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOrder(this.ready[mid], n) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.ready.splice(lo, 0, n);
  }
}
