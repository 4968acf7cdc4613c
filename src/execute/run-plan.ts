/**
 * The parts of a run's plan that each segment (plan/segments.ts) asks for again: the login user
 * each host's plays name, the warnings for patterns that match no host, the plan event.
 */

import { userInfo } from 'node:os';
import { InputError, type SourceLocation } from '../errors.ts';
import type { LoadedInventory } from '../inventory/load.ts';
import type { PatternMatcher } from '../inventory/patterns.ts';
import type { PlanNode, PlayTargets } from '../plan/graph.ts';
import { unmatchedTerms } from '../plan/targets.ts';
import { inventoryVars } from '../plan/vars.ts';
import type { Play, TaskSpec } from '../playbook/model.ts';
import { checkBecomeExtras } from '../playbook/task-login.ts';
import { renderDeep } from '../template/render.ts';
import { connectionOf, sshOptionsFor } from '../transport/connect.ts';
import { connectionVarsOf } from '../transport/connection-vars.ts';

/** Where and as whom a host is reached: every play of the host must agree on these. */
const IDENTITY = ['ansible_connection', 'ansible_host', 'ansible_port', 'ansible_user', 'ansible_ssh_user'];

/**
 * Each host's login user from the remote_user of the plays it is in. quorum keeps one
 * connection per host for a whole run, so two plays asking for different users is an error.
 */
export function remoteUserByHost(
  targets: PlayTargets[],
  /** A host's variables to render a templated remote_user with: inventory, the play's vars, -e. */
  scopeOf: (host: string, playVars: Record<string, unknown>) => Record<string, unknown> = (_h, v) => v,
): Map<string, string> {
  const users = new Map<string, { user: string; play: string }>();
  for (const t of targets) {
    const written = t.play.remoteUser;
    if (!written) continue;
    for (const host of t.batches.flat()) {
      // a template (`"{{ proxmox_lxc_ssh_user }}"`) is rendered for each host, as Ansible does
      let user = written;
      if (written.includes('{{'))
        try {
          user = String(renderDeep(written, scopeOf(host, t.play.vars)));
        } catch (e) {
          throw new InputError('SCHEMA', `${host}: remote_user: ${(e as Error).message}`, t.play.location);
        }
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

/**
 * Each host's connection variables from the `vars` of the plays it is in, rendered with its
 * inventory variables and -e. One connection per host for a run: plays that give a host
 * different values are an error, at the later play; so is one play naming where or as whom to
 * connect (ansible_host, _port, _user, _connection) and another not. Credentials and ssh args
 * given by one play serve the others.
 */
export function playConnectionVars(
  targets: PlayTargets[],
  scopeOf: (host: string) => Record<string, unknown>,
): Map<string, Record<string, unknown>> {
  const byHost = new Map<string, { vars: Record<string, unknown>; play: string }>();
  for (const t of targets) {
    const written = connectionVarsOf(t.play.vars);
    for (const host of t.batches.flat()) {
      let vars: Record<string, unknown>;
      try {
        vars = renderDeep(written, { ...scopeOf(host), ...t.play.vars }) as Record<string, unknown>;
      } catch (e) {
        throw new InputError('SCHEMA', `${host}: ${(e as Error).message}`, t.play.location);
      }
      const before = byHost.get(host);
      const differs = (k: string) =>
        before !== undefined &&
        (IDENTITY.includes(k) || (k in before.vars && k in vars)) &&
        JSON.stringify(before.vars[k]) !== JSON.stringify(vars[k]);
      if (before && [...new Set([...Object.keys(before.vars), ...Object.keys(vars)])].some(differs))
        throw new InputError(
          'SCHEMA',
          `${host} is in plays whose vars connect differently (${before.play}: ${JSON.stringify(Object.keys(before.vars))}, ${t.play.name}: ${JSON.stringify(Object.keys(vars))}); quorum keeps one connection per host for a run`,
          t.play.location,
          'set the connection variables in the inventory or with -e, or run the plays separately',
        );
      byHost.set(host, { vars: { ...before?.vars, ...vars }, play: t.play.name });
    }
  }
  return new Map([...byHost].map(([host, v]) => [host, v.vars]));
}

/**
 * A host's ansible_become_method / _flags / _exe (which beat the keywords in Ansible) held to
 * what quorum does, as the keywords are (task-login.ts): sudo or su, and their flags and programs
 * where they ask for what quorum runs anyway.
 */
function refuseBecomeVars(host: string, vars: Record<string, unknown>, where: SourceLocation) {
  const method = vars.ansible_become_method;
  if (method !== undefined && !['sudo', 'su'].includes(String(method)))
    throw new InputError(
      'CONNECTION',
      `${host}: ansible_become_method ${String(method)} is not supported (sudo or su)`,
      where,
    );
  const keys = {
    become_method: method,
    become_flags: vars.ansible_become_flags ?? vars.ansible_sudo_flags ?? vars.ansible_su_flags,
    become_exe: vars.ansible_become_exe ?? vars.ansible_sudo_exe ?? vars.ansible_su_exe,
  };
  try {
    checkBecomeExtras(keys, where);
  } catch (e) {
    throw e instanceof InputError ? new InputError(e.code, `${host}: ${e.message}`, e.location, e.hint) : e;
  }
}

/** What each host's one transport of the run is made from. */
export class HostConnections {
  private readonly users: Map<string, string>;
  private readonly plays = new Map<string, Record<string, unknown>>();

  constructor(
    unlimited: PlayTargets[],
    private readonly inventory: LoadedInventory,
    private readonly extraVars: Record<string, unknown>,
  ) {
    this.users = remoteUserByHost(unlimited, (host, playVars) => this.renderScope(host, playVars));
  }

  /** A segment's plays: a host added since the run began logs in as its plays say, like the others. */
  add(whole: PlayTargets[]) {
    const scopeOf = (host: string) => ({ ...this.inventoryVarsOf(host), ...this.extraVars });
    for (const [host, user] of remoteUserByHost(whole, (h, playVars) => this.renderScope(h, playVars)))
      if (!this.users.has(host)) this.users.set(host, user);
    for (const [host, vars] of playConnectionVars(whole, scopeOf))
      if (!this.plays.has(host)) this.plays.set(host, vars);
    for (const t of whole) this.refuseTaskLogins(t);
    // ssh arguments quorum would not honour are refused before any host is touched
    for (const t of whole)
      for (const host of t.batches.flat()) {
        const vars = this.varsFor(host);
        if (connectionOf(host, vars) !== 'local') sshOptionsFor(host, vars);
        refuseBecomeVars(host, vars, t.play.location);
      }
  }

  /**
   * A task's remote_user or port logs in otherwise for that task alone, unless a variable names
   * the user or port (then Ansible ignores the keyword) or the connection is local: quorum keeps
   * one connection per host, so a task that would log in otherwise is refused before the run.
   */
  private refuseTaskLogins(t: PlayTargets) {
    const tasks = (list: TaskSpec[]): TaskSpec[] => list.flatMap((x) => [x, ...tasks(x.includeLoop ?? [])]);
    const all = tasks([
      ...t.play.items.flatMap((i) => (i.kind === 'task' ? [i.task] : [])),
      ...t.play.handlers,
    ]);
    for (const task of all.filter((x) => x.login)) {
      const { user, port, location } = task.login!;
      for (const host of t.batches.flat()) {
        const named = {
          ...this.inventoryVarsOf(host),
          ...this.plays.get(host),
          ...connectionVarsOf(this.extraVars),
        };
        if (connectionOf(host, named) === 'local') continue;
        const login = this.users.get(host) ?? userInfo().username;
        const userDiffers =
          user !== undefined && !named.ansible_user && !named.ansible_ssh_user && user !== login;
        const portDiffers = port !== undefined && named.ansible_port === undefined && port !== 22;
        if (userDiffers || portDiffers)
          throw new InputError(
            'TASK',
            `${task.name}: ${userDiffers ? `remote_user ${user}` : `port ${port}`} would log in to ${host} otherwise for this task (as ${userDiffers ? login : 'port 22'} for the others); quorum keeps one connection per host for a run`,
            location ?? task.location,
            'set ansible_user / ansible_port for the host, or run the task in a play of its own',
          );
      }
    }
  }

  /**
   * The play's remote_user, unless a variable names the user (variables beat keywords): the
   * inventory's, the plays' vars', -e's, in Ansible's order.
   */
  varsFor(host: string): Record<string, unknown> {
    const user = this.users.get(host);
    return {
      ...(user ? { ansible_user: user } : {}),
      ...this.inventoryVarsOf(host),
      ...this.plays.get(host),
      ...connectionVarsOf(this.extraVars),
    };
  }

  private renderScope(host: string, playVars: Record<string, unknown>): Record<string, unknown> {
    return { ...this.inventoryVarsOf(host), ...playVars, ...this.extraVars };
  }

  private inventoryVarsOf(host: string) {
    return inventoryVars(
      this.inventory,
      this.inventory.data.hosts.get(host) ?? this.inventory.data.getHost(host)!,
    );
  }
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
