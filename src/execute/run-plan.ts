/**
 * The parts of a run's plan that each segment (plan/segments.ts) asks for again: the login user
 * each host's plays name, the warnings for patterns that match no host, the plan event.
 */
import { InputError } from '../errors.ts';
import type { PatternMatcher } from '../inventory/patterns.ts';
import type { PlanNode, PlayTargets } from '../plan/graph.ts';
import { unmatchedTerms } from '../plan/targets.ts';
import type { Play } from '../playbook/model.ts';

/**
 * Each host's login user from the remote_user of the plays it is in. quorum keeps one
 * connection per host for a whole run, so two plays asking for different users is an error.
 */
export function remoteUserByHost(targets: PlayTargets[]): Map<string, string> {
  const users = new Map<string, { user: string; play: string }>();
  for (const t of targets) {
    const user = t.play.remoteUser;
    if (!user) continue;
    for (const host of t.batches.flat()) {
      const before = users.get(host);
      if (before && before.user !== user)
        throw new InputError(
          'SCHEMA',
          `${host} is in plays with different remote_user (${before.play}: ${before.user}, ${t.play.name}: ${user}); quorum keeps one connection per host for a run`,
          t.play.location,
          'set ansible_user for the host in the inventory, or run the plays separately',
        );
      users.set(host, { user, play: t.play.name });
    }
  }
  return new Map([...users].map(([host, u]) => [host, u.user]));
}

/** Ansible's warning for each term of a play's pattern that matches no host. */
export function unmatchedWarnings(
  plays: Play[],
  matcher: PatternMatcher,
  extraVars: Record<string, unknown>,
): string[] {
  return plays.flatMap((play) =>
    unmatchedTerms(play, matcher, extraVars).map(
      (t) =>
        `play "${play.name}" (${play.location.file}:${play.location.line}): could not match supplied host pattern, ignoring: ${t}`,
    ),
  );
}

/** A segment's plan, as the event stream says it. */
export function planEvent(nodes: PlanNode[]) {
  return {
    type: 'plan' as const,
    nodes: nodes.map((n) => ({
      id: n.id,
      host: n.host,
      play: n.play.name,
      item: n.label,
      needs: [...n.deps],
      ...(n.throttle ? { throttle: n.throttle.limit } : {}),
      ...(n.readOnly ? { readOnly: true as const } : {}),
    })),
    notes: [],
  };
}
