/**
 * Which handler a notification by name runs when several have that name (a role used twice, two
 * roles with a "restart", a play's own): one, as in ansible-core 2.19 — the play's own handler
 * before any role's, else the role used last. `listen` topics still reach every handler that
 * listens.
 */
import type { Play, TaskSpec } from '../playbook/model.ts';

const chosen = new WeakMap<Play, Map<string, TaskSpec>>();

export function answersToName(play: Play, handler: TaskSpec): boolean {
  let byName = chosen.get(play);
  if (!byName) {
    byName = new Map();
    const own = play.handlers.filter((h) => h.roleInstance === undefined);
    const roles = play.handlers.filter((h) => h.roleInstance !== undefined);
    for (const h of [...roles, ...own]) byName.set(h.name, h);
    chosen.set(play, byName);
  }
  return byName.get(handler.name) === handler;
}
