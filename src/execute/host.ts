/** Per-host state for one run: its connection, facts, registered variables and status. */
import { type Facts, gatherFacts } from '../facts/gather.ts';
import type { Transport } from '../transport/types.ts';

export class HostEnv {
  /** Variables set during the run (register, set_fact); they outlive plays, as in Ansible. */
  readonly runtimeVars: Record<string, unknown> = {};
  failed = false;
  /** Check mode: steps on this host predicted to change; later probes may see stale state. */
  predictedChanges = 0;
  unreachable = false;
  private factsPromise?: Promise<Facts>;

  constructor(
    readonly name: string,
    readonly transport: Transport,
  ) {}

  facts(): Promise<Facts> {
    this.factsPromise ??= gatherFacts(this.transport);
    return this.factsPromise;
  }
}
