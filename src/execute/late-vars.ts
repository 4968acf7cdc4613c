/**
 * The per-host vars_files of a play (late-vars-files.ts), read once per host and play when its
 * first task runs, with the host's variables and, where the play gathers them, its facts.
 */
import { ansibleFactVars } from '../facts/ansible-names.ts';
import { readLateVarsFiles } from '../playbook/late-vars-files.ts';
import type { Play } from '../playbook/model.ts';
import type { HostEnv } from './host.ts';

const read = new WeakMap<HostEnv, Map<number, Record<string, unknown> | Error>>();

export async function lateVarsFor(
  host: HostEnv,
  play: Play,
  vars: Record<string, unknown>,
  warn: (message: string) => void,
): Promise<Record<string, unknown> | Error> {
  let byPlay = read.get(host);
  if (!byPlay) read.set(host, (byPlay = new Map()));
  const known = byPlay.get(play.index);
  if (known) return known;
  const gathered = play.gatherFacts || host.gathered;
  const facts = gathered ? ansibleFactVars(await host.ansibleFacts(play.factPath)) : {};
  let out: Record<string, unknown> | Error;
  try {
    out = readLateVarsFiles(play.lateVarsFiles ?? [], play.dir ?? '.', { ...facts, ...vars }, warn, gathered);
  } catch (e) {
    out = e instanceof Error ? e : new Error(String(e));
  }
  byPlay.set(play.index, out);
  return out;
}
