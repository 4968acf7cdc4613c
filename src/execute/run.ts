/**
 * `quorum play`, as a table of contents: load inventory, load playbook, resolve roles,
 * validate, plan, execute, report. Input errors throw InputError before any host is touched.
 */

import { join } from 'node:path';
import { withPinnedAnsibleConfig } from '../config/ansible-config.ts';
import { checkAnsibleConfig } from '../config/check-config.ts';
import { InputError } from '../errors.ts';
import { loadInventory } from '../inventory/load.ts';
import { PatternMatcher } from '../inventory/patterns.ts';
import { withReadOnlyNeeds } from '../plan/delta.ts';
import { buildGraph, type PlanNode, type PlayTargets } from '../plan/graph.ts';
import { segmentsOf } from '../plan/segments.ts';
import { type Shard, type ShardInfo, slicePlan } from '../plan/shard.ts';
import { startAtTask } from '../plan/start-at.ts';
import { computeTargets } from '../plan/targets.ts';
import { validateStatic } from '../plan/validate.ts';
import { loadPlaybook } from '../playbook/load.ts';
import type { Play, Playbook } from '../playbook/model.ts';
import type { HostRecap, Reporter } from '../report/events.ts';
import type { AnyRole } from '../roles/define.ts';
import { discoverRoles, loadRole, roleSearchPath } from '../roles/registry.ts';
import { attachSecrets } from '../template/secret-taint.ts';
import { takeTemplateWarnings } from '../template/template-warnings.ts';
import { defaultTransportFactory, type TransportFactory } from '../transport/connect.ts';
import { onConnectRetry } from '../transport/progress.ts';
import { vaultPlaintexts } from '../vault/secrets.ts';
import { takeYamlWarnings } from '../yaml/load.ts';
import { RecapCounter } from './recap-count.ts';
import { HostConnections, planEvent, unmatchedWarnings } from './run-plan.ts';
import { executePlan } from './scheduler.ts';
import { type RunOptions, RunState } from './state.ts';

export interface PlayRequest extends Partial<RunOptions> {
  playbook: string;
  inventory: string[];
  rolesPath?: string[];
  reporters: Reporter[];
  transportFactory?: TransportFactory;
  /** Stop after planning (validate, --list-hosts, --list-tasks). */
  planOnly?: boolean;
  /** Asks the user (vars_prompt); absent where there is no terminal. */
  ask?: (question: string, secret: boolean) => Promise<string>;
  /** --shard K/N: this controller runs slice K of the hosts. */
  shard?: Shard;
  /** --start-at-task NAME (plan/start-at.ts). */
  startAtTask?: string;
}

/**
 * Each play's vars_prompt value, before anything is planned: -e wins (nothing is asked), then
 * the user's answer (empty takes the default), then, with no terminal, the default; with
 * neither, an error at the prompt's place. Private values become secrets of the run.
 */
async function answerPrompts(plays: Play[], req: PlayRequest, secrets: string[]): Promise<void> {
  const extra = req.extraVars ?? {};
  for (const play of plays) {
    for (const p of play.prompts ?? []) {
      if (p.name in extra) continue;
      const shown = `${p.prompt}${p.default !== undefined && !p.private ? ` [${p.default}]` : ''}: `;
      let value: string | number | boolean | undefined = p.default;
      // planning only (validate, --list-tasks) asks nothing: the value is the user's at run time
      if (req.planOnly) value ??= '';
      else if (req.ask) {
        const answer = await req.ask(shown, p.private);
        if (answer !== '' || value === undefined) value = answer;
        if (p.confirm && (await req.ask(`confirm ${shown}`, p.private)) !== answer)
          throw new InputError(
            'USAGE',
            `vars_prompt "${p.name}": the values entered do not match`,
            p.location,
          );
      }
      if (value === undefined)
        throw new InputError(
          'USAGE',
          `vars_prompt "${p.name}" has no default and there is no terminal to ask on`,
          p.location,
          `give it with -e ${p.name}=...`,
        );
      play.vars[p.name] = value;
      if (p.private && typeof value === 'string' && value) secrets.push(value);
    }
  }
}

export interface PreparedRun {
  run: RunState;
  playbook: Playbook;
  roles: Map<string, AnyRole>;
  targets: ReturnType<typeof computeTargets>;
  nodes: ReturnType<typeof buildGraph>;
  searchDirs: string[];
  /** Said before the run (and by validate): patterns that match no host. */
  warnings: string[];
  /** A slice of a sharded run: which, of what. */
  shard?: ShardInfo;
  /** Plays after one that grows the inventory, in segments: planned when they start. */
  later: Play[][];
  plan: (plays: Play[]) => { targets: PlayTargets[]; nodes: PlanNode[] };
  /** Every play's hosts in the inventory as it is before the run (--list-hosts, validate). */
  staticTargets: PlayTargets[];
}

export async function prepareRun(req: PlayRequest): Promise<PreparedRun> {
  const secrets: string[] = [];
  try {
    return await withPinnedAnsibleConfig(() => prepareWith(req, secrets));
  } catch (e) {
    // an error before the run may quote a private prompt's value (`{{ pw | from_json }}`)
    throw e instanceof InputError && secrets.length > 0 ? e.redacted(secrets) : e;
  }
}

async function prepareWith(req: PlayRequest, secrets: string[]): Promise<PreparedRun> {
  const configWarnings = checkAnsibleConfig();
  const inventory = loadInventory(req.inventory);
  const matcher = new PatternMatcher(inventory.data);
  takeYamlWarnings(); // what an earlier load in this process left
  const playbook = loadPlaybook(req.playbook, { rolesPath: req.rolesPath, extraVars: req.extraVars });
  if (req.startAtTask !== undefined) startAtTask(playbook.plays, req.startAtTask);
  await answerPrompts(playbook.plays, req, secrets);
  const available = discoverRoles([
    ...new Set(playbook.dirs.flatMap((d) => roleSearchPath({ playbookDir: d, rolesPath: req.rolesPath }))),
  ]);
  const roles = new Map<string, AnyRole>();
  for (const play of playbook.plays) {
    for (const item of play.items) {
      if (item.kind !== 'role' || roles.has(item.ref.role)) continue;
      try {
        roles.set(item.ref.role, await loadRole(item.ref.role, available));
      } catch (e) {
        throw e instanceof InputError ? e.locatedAt(item.ref.location) : e;
      }
    }
  }
  // a role's `needs` naming no role at all is a typo, not an order: refused with its place
  for (const [name, role] of roles)
    for (const need of role.needs ?? [])
      if (!available.has(need))
        throw new InputError(
          'ROLE_UNKNOWN',
          `role ${name} needs "${need}", which is no role in the roles path`,
          { file: join(role.dir, 'index.ts') },
          `roles found: ${[...available.keys()].sort().join(', ')}`,
        );
  const options: RunOptions = {
    check: req.check ?? false,
    diff: req.diff ?? false,
    forks: req.forks ?? Number.POSITIVE_INFINITY,
    extraVars: req.extraVars ?? {},
    tags: req.tags ?? [],
    skipTags: req.skipTags ?? [],
    limit: req.limit,
    verbose: req.verbose ?? 0,
    runLock: req.runLock ?? true,
    durableHandlers: req.durableHandlers ?? true,
  };
  const all = computeTargets(playbook.plays, matcher, options.limit, options);
  const unlimited =
    options.limit === undefined ? all : computeTargets(playbook.plays, matcher, undefined, options);
  // the plan is checked whole (keepalived's one MASTER, the cluster's addresses): --limit
  // chooses what changes, not which part of the configuration is right
  validateStatic(unlimited, inventory, roles, options.extraVars, [playbook.dir], options);
  const connections = new HostConnections(unlimited, inventory, options.extraVars);
  const segments = segmentsOf(playbook.plays);
  if (segments.length > 1 && req.shard)
    throw new InputError(
      'USAGE',
      "--shard needs every play's hosts before the run; group_by or add_host here changes them as it runs",
      segments[0][segments[0].length - 1].location,
    );
  // a segment's plays, planned against the inventory as it stands (grown by earlier segments)
  const plan = (plays: Play[]) => {
    const targets = computeTargets(plays, matcher, options.limit, options);
    const whole = options.limit === undefined ? targets : computeTargets(plays, matcher, undefined, options);
    const hostOrder = matcher.hosts('all').map((h) => h.name);
    const graphOf = (t: PlayTargets[]) =>
      buildGraph(
        t,
        hostOrder,
        (role) => roles.get(role)?.needs ?? [],
        (role) => roles.get(role)?.throttle,
      );
    let nodes = graphOf(targets);
    // with --limit, what the limited hosts' roles read from hosts outside it joins read-only
    if (options.limit !== undefined)
      nodes = withReadOnlyNeeds(nodes, graphOf(whole), new Set(targets.flatMap((t) => t.batches.flat())), {
        needsOf: (role) => roles.get(role)?.needs ?? [],
        publishes: (role) => roles.get(role)?.publishes?.length !== 0,
      });
    connections.add(whole);
    for (const t of targets) run.setPlayHosts(t.play.index, t.batches);
    return { targets, nodes };
  };
  const factory = req.transportFactory ?? defaultTransportFactory;
  const run = new RunState(options, inventory, matcher, (host) => factory(host, connections.varsFor(host)));
  // what vaults gave while the playbook was read (later ones reach the run as it holds templates' secrets)
  for (const text of vaultPlaintexts()) run.addSecret(text);
  run.inventorySources = req.inventory;
  for (const t of all) run.setPlayHosts(t.play.index, t.batches);
  let { targets, nodes } = plan(segments[0]);
  // a slice runs its hosts; a play's hosts (ansible_play_hosts_all) stay the whole run's
  let shard: ShardInfo | undefined;
  if (req.shard) ({ nodes, targets, info: shard } = slicePlan(req.shard, nodes, targets, playbook.file));
  for (const secret of secrets) run.addSecret(secret);
  for (const r of req.reporters) run.addReporter(r);
  // a later segment's patterns may name groups the run makes: said when it starts
  const warnings = unmatchedWarnings(segments[0], matcher, options.extraVars);
  warnings.push(...configWarnings, ...takeYamlWarnings());
  // files of templated or conditional includes quorum cannot run: said up front (validate too),
  // failing only where they would run
  const refused = new Set(
    playbook.plays.flatMap((p) =>
      p.items.flatMap((i) =>
        i.kind === 'task' && i.task.refused
          ? [
              `${i.task.refusedModule ? 'a task' : 'an include names a file'} quorum cannot run; a host that reaches it fails there: ${i.task.refused}`,
            ]
          : [],
      ),
    ),
  );
  warnings.push(...refused);
  // templates checked while the playbook was read render again where they run, and warn there
  takeTemplateWarnings();
  return {
    run,
    playbook,
    roles,
    targets,
    nodes,
    searchDirs: [playbook.dir],
    warnings,
    shard,
    later: segments.slice(1),
    plan,
    staticTargets: all,
  };
}

/** `cleared`: hosts whose failure a meta: clear_host_errors took back (Ansible's exit code forgets it too). */
export function exitCodeFor(
  recap: Record<string, HostRecap>,
  cleared: ReadonlySet<string> = new Set(),
): number {
  const failed = Object.entries(recap).some(([name, h]) => h.failed > 0 && !cleared.has(name));
  return (failed ? 2 : 0) | (Object.values(recap).some((h) => h.unreachable > 0) ? 4 : 0);
}

export function executeRun(prepared: PreparedRun): Promise<number> {
  return withPinnedAnsibleConfig(() => executePrepared(prepared));
}

async function executePrepared(prepared: PreparedRun): Promise<number> {
  const { run, nodes, targets, roles, searchDirs, playbook } = prepared;
  const started = Date.now();
  const hostNames = [...new Set(nodes.map((n) => n.host))];
  const recap: Record<string, HostRecap> = {};
  const addRecap = (planned: PlanNode[]) => {
    const names = [...new Set(planned.map((n) => n.host))].filter((h) => !recap[h]);
    const readOnlyHosts = new Set(names.filter((h) => planned.every((n) => n.host !== h || n.readOnly)));
    for (const h of names)
      recap[h] = {
        ok: 0,
        changed: 0,
        failed: 0,
        skipped: 0,
        unreachable: 0,
        ignored: 0,
        rescued: 0,
        maybe: 0,
        ...(readOnlyHosts.has(h) ? { readOnly: true as const } : {}),
      };
  };
  addRecap(nodes);
  const counter = new RecapCounter(recap);
  run.addReporter((e) => counter.on(e));
  run.emit({
    type: 'run_start',
    runId: run.runId,
    playbook: playbook.file,
    check: run.options.check,
    hosts: hostNames,
    time: new Date().toISOString(),
    ...(prepared.shard ? { shard: prepared.shard } : {}),
  });
  for (const message of prepared.warnings) run.emit({ type: 'warning', message });
  run.emit(planEvent(nodes));
  onConnectRetry((host, attempt, of, why) =>
    run.emit({ type: 'warning', message: `${host}: ${why}; connecting again (attempt ${attempt} of ${of})` }),
  );
  // what templates compute from this run's secrets becomes a secret of it as well
  const detach = attachSecrets({ has: (v) => run.secrets.has(v), add: (v) => run.addSecret(v) });
  const segments = async () => {
    let done = await executePlan(run, nodes, targets, roles, searchDirs);
    for (const plays of prepared.later) {
      if (done.aborted) break;
      // the plays after group_by / add_host: their hosts matched in the inventory as it now is
      const next = prepared.plan(plays);
      for (const message of unmatchedWarnings(plays, run.matcher, run.options.extraVars))
        run.emit({ type: 'warning', message });
      addRecap(next.nodes);
      run.emit(planEvent(next.nodes));
      done = await executePlan(run, next.nodes, next.targets, roles, searchDirs, done.hosts);
    }
    return done;
  };
  const { hosts } = await segments().finally(() => {
    onConnectRetry(undefined);
    detach();
  });
  await run.locks.releaseAll();
  for (const h of hosts.values()) h.learned.save();
  await Promise.all([...hosts.values()].map((h) => h.transport.close().catch(() => {})));
  run.emit({ type: 'recap', hosts: recap, elapsedMs: Date.now() - started });
  const cleared = new Set(
    [...hosts.values()].filter((h) => h.errorsClearedIn !== undefined).map((h) => h.name),
  );
  const code = exitCodeFor(recap, cleared);
  run.emit({ type: 'run_end', exitCode: code });
  return code;
}

export async function runPlaybook(req: PlayRequest): Promise<number> {
  return executeRun(await prepareRun(req));
}
