/** A role's node on one host: its params resolved, its run, then the handlers it notified. */
import type { PlanNode } from '../plan/graph.ts';
import { inventoryVars } from '../plan/vars.ts';
import { type AnyRole, secretParams } from '../roles/define.ts';
import { resolveRoleParams } from '../roles/params.ts';
import { evaluateWhen } from '../template/expr.ts';
import { UnreachableError } from '../transport/types.ts';
import type { HostEnv } from './host.ts';
import { checkRun, nodeVars } from './node-vars.ts';
import { handlerKey } from './pending-handlers.ts';
import { createRoleContext } from './role-context.ts';
import { RoleFailure } from './role-failure.ts';
import { roleFrame } from './role-frame.ts';
import { type NodeResult, type RunState, warnOn } from './state.ts';

export async function runRole(
  run: RunState,
  host: HostEnv,
  node: PlanNode,
  role: AnyRole,
  searchDirs: string[],
): Promise<NodeResult> {
  if (node.item.kind !== 'role') throw new Error('not a role node');
  const ref = node.item.ref;
  const vars = nodeVars(run, host, node);
  if (ref.when !== undefined && !evaluateWhen(ref.when, vars).value)
    return { status: 'skipped', reason: 'condition is false' };
  const inv = run.inventory.data.hosts.get(host.name)!;
  const params = resolveRoleParams(
    role,
    ref,
    {
      inventory: inventoryVars(run.inventory, inv),
      play: { ...node.play.vars, ...host.runtimeVars },
      extra: run.options.extraVars,
      all: vars,
    },
    host.name,
  );
  for (const key of secretParams(role.params as never)) run.addSecret(params[key]);
  const facts = await host.facts();
  const learnedKey = `${node.play.name}|${node.id}|${role.name}`;
  const info = {
    nodeId: node.id,
    role,
    become: node.play.become,
    searchDirs: [role.dir, ...searchDirs],
    notified: new Map<string, string[]>(),
    changed: false,
    readOnly: node.readOnly,
    probes: host.learned.start(learnedKey),
  };
  const ctx = createRoleContext(run, host, facts, { ...vars, ...params }, info);
  try {
    await role.run(ctx, params);
    const durable = run.options.durableHandlers && !node.readOnly;
    for (const [name, fn] of Object.entries(role.handlers ?? {})) {
      const key = handlerKey({ role: role.name }, name);
      // notified by an earlier run that stopped before its handlers ran: runs now
      const earlier = durable
        ? (await host.pending.pendingFor([key])).filter((e) => e.runId !== run.runId)
        : [];
      const because = [
        ...(info.notified.get(name) ?? []),
        ...earlier.map((e) => `pending from run ${e.runId} (${e.because})`),
      ];
      if (because.length === 0) continue;
      // what handlers read is not what a converged run asks
      const handlerInfo = { ...info, inHandler: true, probes: undefined };
      const hctx = createRoleContext(run, host, facts, { ...vars, ...params }, handlerInfo);
      run.emit({
        type: 'handler',
        host: host.name,
        handler: `${role.name}: ${name}`,
        status: checkRun(run, node) ? 'would_change' : 'changed',
        because,
      });
      await fn(hctx, params);
      if (handlerInfo.changed) info.changed = true;
      if (durable && !checkRun(run, node)) await host.pending.ran([key], warnOn(run, host.name));
    }
  } catch (e) {
    if (e instanceof RoleFailure) return { status: 'failed', reason: e.message };
    // a bug in the role's own code: where it is, in the role's file, as data in the report
    const at = e instanceof Error && !(e instanceof UnreachableError) ? roleFrame(e, role.dir) : undefined;
    if (at) return { status: 'failed', reason: `${at}: ${e instanceof Error ? e.message : String(e)}` };
    throw e;
  }
  host.learned.finish(learnedKey, info.probes);
  return { status: info.changed ? 'changed' : 'ok' };
}
