/**
 * Which probes will this host's next steps send? Worked out by planning those steps now,
 * with the variables known now, through a probe function that only records: each step's
 * first probe not already sent ahead is recorded and its planning stops there. A step that
 * cannot be worked out yet (a loop or parameter that needs a value registered later, a module
 * whose probes are user commands) is passed over: it probes on its own turn. One whose only
 * unknown is its condition is probed ahead anyway (see mayHold).
 * Nothing here reaches the host or emits an event.
 */

import { ansibleArgs } from '../modules/args.ts';
import type { PathState } from '../modules/path-batch.ts';
import { findModule } from '../modules/registry.ts';
import type { ProbeContext } from '../modules/types.ts';
import type { PlanNode } from '../plan/graph.ts';
import { listLocalDir, readLocalBytes, readLocalFile } from '../playbook/local-files.ts';
import { itemScope } from '../playbook/loops.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { hasKeys, taskDirs, taskItems, taskVars } from '../playbook/task-scope.ts';
import { validator } from '../schema/ajv.ts';
import { evaluateWhen, UndefinedInCondition } from '../template/expr.ts';
import { renderDeep } from '../template/render.ts';
import { dropWarningsSince, warningMark } from '../template/template-warnings.ts';
import { containsUnknown } from '../template/unknown.ts';
import type { ExecResult } from '../transport/types.ts';
import { taskBecome } from './become.ts';
import type { HostEnv } from './host.ts';
import { keptProbe } from './kept-probes.ts';
import type { Lookahead, ProbeRequest } from './probe-cache.ts';

/** One inline task, with the loop items still to come (all of them for a later task). */
interface Upcoming {
  node: PlanNode;
  task: TaskSpec;
  fromItem: number;
}

const STOP = Symbol('recorded');

/** Inline tasks after this point in the host's run, up to anything that is not one. */
function upcoming(host: HostEnv, node: PlanNode, itemIndex: number): Upcoming[] {
  const out: Upcoming[] = [];
  // the rest of this task's loop, if it has one
  if (node.item.kind === 'task' && node.item.task.loop !== undefined)
    out.push({ node, task: node.item.task, fromItem: itemIndex + 1 });
  const at = host.nodes.indexOf(node);
  for (const next of host.nodes.slice(at + 1)) {
    // another host's node in between (serial batches, barrier) could change what comes next
    const crossHost = [...next.deps].some((d) => !d.endsWith(`@${host.name}`));
    // nor past a new login session: what it reads must come from the new one
    // nor into a looped include: its tasks are not nodes of their own
    const task = next.item.kind === 'task' ? next.item.task : undefined;
    if (!task || next.play !== node.play || crossHost || task.resetConnection || task.includeLoop) break;
    out.push({ node: next, task, fromItem: 0 });
  }
  return out;
}

type VarsOf = (node: PlanNode) => Record<string, unknown>;

/**
 * Whether a step's condition may let it run. One on a value registered by an earlier step
 * (`when: conf.stat.exists`) cannot be told yet: its probes go ahead anyway, being read-only;
 * at worst their answer is not used.
 */
function mayHold(when: unknown, vars: Record<string, unknown>): boolean {
  try {
    return Boolean(evaluateWhen(when, vars).value);
  } catch (e) {
    if (e instanceof UndefinedInCondition) return true;
    throw e;
  }
}

async function firstProbe(
  host: HostEnv,
  task: TaskSpec,
  vars: Record<string, unknown>,
  become: boolean,
  searchDirs: string[],
): Promise<ProbeRequest | undefined> {
  const mod = findModule(task.module);
  if (!mod || mod.prefetch === false) return undefined;
  if (task.when !== undefined && !mayHold(task.when, vars)) return undefined;
  // what renders here renders again at the step's turn, whose warnings they are: the render and
  // the module's synchronous part run before the drop, so no other step's warning is taken
  const mark = warningMark();
  let started: ReturnType<typeof startPlan>;
  try {
    started = startPlan(mod, host, task, vars, become, searchDirs);
  } finally {
    dropWarningsSince(mark);
  }
  if (!started) return undefined;
  try {
    await started.planned;
  } catch {}
  return started.recorded();
}

function startPlan(
  mod: NonNullable<ReturnType<typeof findModule>>,
  host: HostEnv,
  task: TaskSpec,
  vars: Record<string, unknown>,
  become: boolean,
  searchDirs: string[],
): { planned: Promise<unknown>; recorded: () => ProbeRequest | undefined } | undefined {
  const params = ansibleArgs(mod, renderDeep(task.params, vars) as Record<string, unknown>);
  if (containsUnknown(params) || !validator(mod.schema)(params)) return undefined;
  let recorded: ProbeRequest | undefined;
  const record = (r: ProbeRequest) => {
    const sent = host.probes.peek(r);
    if (sent) return sent;
    recorded = r;
    throw STOP;
  };
  const ctx: ProbeContext = {
    host: host.name,
    facts: () => host.facts(),
    become,
    vars,
    readLocal: (path, kind) => readLocalFile(searchDirs, path, kind),
    readLocalBytes: (path, kind) => readLocalBytes(searchDirs, path, kind),
    listLocal: (path, kind) => listLocalDir(searchDirs, path, kind),
    probe: (command) => record({ command, become }) as Promise<ExecResult>,
    probeKept: (command, files) =>
      keptProbe(
        host.name,
        JSON.stringify({ command, become }),
        command,
        files,
        (c) => record({ command: c, become }) as Promise<ExecResult>,
      ),
    probePath: (path, want) => record({ path: { path, ...want }, become }) as Promise<PathState>,
  };
  return { planned: mod.plan(ctx, params), recorded: () => recorded };
}

export function lookahead(
  host: HostEnv,
  node: PlanNode,
  itemIndex: number,
  varsOf: VarsOf,
  searchDirs: string[],
): Lookahead {
  return async (window) => {
    const out: ProbeRequest[] = [];
    // what the include gates passed on the way will have answered (include-run.ts)
    const gates: Record<string, unknown> = {};
    let steps = 0;
    for (const { node: n, task, fromItem } of upcoming(host, node, itemIndex)) {
      if (steps >= window) break;
      try {
        const scope = hasKeys(gates) ? { ...varsOf(n), ...gates } : varsOf(n);
        const base = taskVars(task, scope, { runtime: host.runtimeVars });
        if (task.includeGate) {
          if (!task.reportsOnly)
            gates[task.includeGate] = task.when === undefined || evaluateWhen(task.when, base).value;
          continue;
        }
        const items = taskItems(task, base, searchDirs);
        if (!Array.isArray(items)) continue;
        const become = taskBecome(task, n.play, base);
        for (const [i, item] of items.slice(fromItem).entries()) {
          if (steps++ >= window) break;
          const vars = task.loop === undefined ? base : itemScope(task, base, item, fromItem + i);
          const r = await firstProbe(host, task, vars, become, taskDirs(task, searchDirs));
          if (r) out.push(r);
        }
      } catch {
        // not knowable yet: that step probes on its own turn
      }
    }
    return out;
  };
}
