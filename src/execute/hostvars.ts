/**
 * Ansible's `hostvars`: every inventory host's variables by name, and for the hosts of the
 * current play (after --limit) their facts under Ansible's names, gathered on first use as a
 * play's facts are. Built only for a task that names hostvars: it may contact every host of
 * the play for its facts.
 */
import { ansibleFactVars } from '../facts/ansible-names.ts';
import { inventoryVars, magicVars } from '../plan/vars.ts';
import type { Play } from '../playbook/model.ts';
import type { RunState } from './state.ts';

export async function hostvarsFor(
  run: RunState,
  play: Play,
  withFacts: boolean,
): Promise<Record<string, unknown>> {
  const inv = run.inventory;
  const out: Record<string, Record<string, unknown>> = {};
  for (const host of run.matcher.hosts('all')) {
    const env = run.hostEnvIfStarted(host.name);
    out[host.name] = {
      ...inventoryVars(inv, host),
      ...magicVars(inv, host),
      ...(env ? { ansible_facts: env.factsVar(), ...env.runtimeVars } : {}),
    };
  }
  if (withFacts) {
    let inPlay = run.matcher.hosts(play.hosts);
    if (run.options.limit !== undefined) inPlay = run.matcher.limit(inPlay, run.options.limit);
    await Promise.all(
      inPlay.map(async (h) => {
        // a play without gather_facts has the facts gathered before, nothing more
        if (!play.gatherFacts && !run.hostEnvIfStarted(h.name)?.gathered) return;
        try {
          const env = run.hostEnv(h.name);
          const facts = await env.ansibleFacts(play.factPath);
          Object.assign(out[h.name], ansibleFactVars(facts), { ansible_facts: env.factsVar(facts) });
        } catch {
          // an unreachable host has no facts, as in Ansible; using them is an undefined error
        }
      }),
    );
  }
  return out;
}
