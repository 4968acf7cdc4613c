/**
 * A playbook whose plays grow the inventory (group_by, add_host) runs in segments: the plays up
 * to and including such a play, then the next ones, whose hosts are matched against the grown
 * inventory when they start (`hosts: os_Debian` after `group_by: key=os_{{ ... }}`). A playbook
 * without them is one segment, planned whole before the run as always.
 */
import type { Play, TaskSpec } from '../playbook/model.ts';

const GROWS = new Set(['group_by', 'add_host']);

function grows(tasks: TaskSpec[]): boolean {
  return tasks.some((t) => GROWS.has(t.module) || grows(t.includeLoop ?? []));
}

/** Whether a play may change the inventory: a group_by or add_host among its tasks or handlers. */
export function growsInventory(play: Play): boolean {
  return grows([...play.items.flatMap((i) => (i.kind === 'task' ? [i.task] : [])), ...play.handlers]);
}

/** The plays in segments: each ends with a play that may grow the inventory, or the last play. */
export function segmentsOf(plays: Play[]): Play[][] {
  const out: Play[][] = [[]];
  for (const play of plays) {
    out[out.length - 1].push(play);
    if (growsInventory(play) && play !== plays[plays.length - 1]) out.push([]);
  }
  return out;
}
