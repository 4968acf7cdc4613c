/**
 * What a resumed run must do again, from the journal of the run it resumes: every host that did
 * not finish (a node failed, was unreachable, was skipped because what it needed did not run, or
 * never ended: an interrupted run), and those a later run ran on. The others are left out, and
 * said so: they finished and nothing since (that this controller journaled) touched them.
 */
import type { RunEvent } from './events.ts';

export interface ResumePlan {
  /** Hosts to run again, each with why. */
  again: Map<string, string>;
  /** Hosts whose every node ended in the earlier run. */
  finished: string[];
}

/** `touchedSince`: hosts a later run ran on: they are checked again even if they finished. */
export function resumePlan(events: RunEvent[], touchedSince: ReadonlySet<string> = new Set()): ResumePlan {
  const start = events.find((e) => e.type === 'run_start');
  // a run whose plays grow the inventory (group_by, add_host) plans each segment as it starts
  const planned = events.flatMap((e) => (e.type === 'plan' ? e.nodes : []));
  const hosts = [
    ...new Set([...(start?.type === 'run_start' ? start.hosts : []), ...planned.map((n) => n.host)]),
  ];
  const ends = new Map<string, Extract<RunEvent, { type: 'node_end' }>>();
  for (const e of events) if (e.type === 'node_end') ends.set(e.id, e);
  const again = new Map<string, string>();
  const unreachable = new Set(events.flatMap((e) => (e.type === 'unreachable' ? [e.host] : [])));
  for (const host of hosts) {
    const nodes = planned.filter((n) => n.host === host && !n.readOnly);
    const why = unreachable.has(host)
      ? 'was unreachable'
      : nodes
          .map((n) => {
            const end = ends.get(n.id);
            if (!end) return `did not finish "${n.item}"`;
            if (end.status === 'failed' || end.status === 'unreachable')
              return `${end.status} at "${n.item}"`;
            if (end.blocked) return `skipped "${n.item}": ${end.reason ?? 'what it needed did not run'}`;
            return undefined;
          })
          .find((w) => w !== undefined);
    if (why) again.set(host, why);
    else if (touchedSince.has(host)) again.set(host, 'finished, but a later run ran on it: checked again');
  }
  return { again, finished: hosts.filter((h) => !again.has(h)) };
}
