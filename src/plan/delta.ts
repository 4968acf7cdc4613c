/**
 * `--limit` as "change only these hosts". A limited host's role may need values that a role on
 * a host outside the limit publishes (kubeadm-init's join material on the first control-plane
 * node): those nodes join the plan read-only (a check run there: probes, never a change), so
 * the values are read where they live. Roles that publish nothing only order a full run; they
 * are left out, and so is every host no limited role reads from.
 */
import { checkCycles, type PlanNode } from './graph.ts';

export interface RoleNeeds {
  needsOf: (role: string) => string[];
  /** Whether the role publishes values (undeclared counts as yes). */
  publishes: (role: string) => boolean;
}

const roleOf = (n: PlanNode) => (n.item.kind === 'role' ? n.item.ref.role : undefined);

/** Roles whose values the given roles read, through needs, following only publishing roles. */
function readRoles(start: Iterable<string>, roles: RoleNeeds): Set<string> {
  const read = new Set<string>();
  const queue = [...new Set(start)];
  for (let i = 0; i < queue.length; i++) {
    for (const need of roles.needsOf(queue[i])) {
      if (read.has(need) || !roles.publishes(need)) continue;
      read.add(need);
      queue.push(need);
    }
  }
  return read;
}

/**
 * The limited plan with the read-only nodes it reads from. `all` is the plan without the
 * limit (same node ids). Ordering between kept nodes that ran through left-out nodes in the
 * full plan is kept.
 */
export function withReadOnlyNeeds(
  limited: PlanNode[],
  all: PlanNode[],
  limitHosts: Set<string>,
  roles: RoleNeeds,
): PlanNode[] {
  const needed = readRoles(
    limited.flatMap((n) => roleOf(n) ?? []),
    roles,
  );
  const readOnly = all.filter((n) => {
    const role = roleOf(n);
    return role !== undefined && needed.has(role) && !limitHosts.has(n.host);
  });
  if (readOnly.length === 0) return limited;
  const byId = new Map(all.map((n) => [n.id, n]));
  const kept = new Set([...limited, ...readOnly].map((n) => n.id));
  const through = new Map<string, Set<string>>();
  /** The kept nodes a node waits for in the full plan (a DAG), walking through the left-out ones. */
  const keptDeps = (id: string): Set<string> => {
    const known = through.get(id);
    if (known) return known;
    const out = new Set<string>();
    for (const d of byId.get(id)?.deps ?? []) {
      if (kept.has(d)) out.add(d);
      else for (const k of keptDeps(d)) out.add(k);
    }
    through.set(id, out);
    return out;
  };
  const readOnlyIds = new Set(readOnly.map((n) => n.id));
  const nodes: PlanNode[] = [
    // a limited node keeps its own order (its serial batches) and waits for the read-only ones
    ...limited.map((n) => ({
      ...n,
      deps: new Set([...n.deps, ...[...keptDeps(n.id)].filter((d) => readOnlyIds.has(d))]),
    })),
    ...readOnly.map((n) => ({ ...n, deps: keptDeps(n.id), readOnly: true })),
  ];
  checkCycles(nodes);
  return nodes;
}
