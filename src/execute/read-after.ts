/**
 * A module's read after its actions (ModuleOutcome.readAfter): what the result registers of the
 * path as the actions left it (copy's and file's add_path_info fields), read on the host that
 * ran them, merged into the result. A key the read names undefined leaves the result (file's
 * `path` where 2.19 registers a hard link's `dest`). A read that fails leaves the result as it was.
 */
import type { ModuleOutcome } from '../modules/types.ts';
import { runAction } from './actions.ts';
import { withEnvironment } from './become.ts';
import type { HostEnv } from './host.ts';
import type { StepSpec } from './step-spec.ts';

export async function withReadAfter(
  host: HostEnv,
  spec: StepSpec,
  readAfter: NonNullable<ModuleOutcome['readAfter']>,
  result: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const transport = spec.reportAs !== undefined ? host.aside().transport : host.transport;
  const read = { kind: 'exec' as const, command: withEnvironment(readAfter.command, spec.environment) };
  const { result: r, failure } = await runAction(
    transport,
    read,
    spec.become || !!spec.becomeUser,
    spec.becomeUser,
  );
  if (failure) return result;
  const merged = { ...result, ...readAfter.from(r.stdout) };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}
