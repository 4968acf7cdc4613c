/**
 * Public Ansible roles, unchanged, run by ansible-playbook 2.19 and by quorum on fresh lab hosts:
 * the geerlingguy set (public-roles-geerlingguy.ts) on cp1 and cp2 and the roles of other authors
 * (public-roles-others.ts) on w1 and w2, the two sets side by side. Each run is mostly one
 * ansible-playbook process on one core: beside each other they take the time of the longer one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunLab } from '../helpers/lab.ts';
import { freshLabHosts, type PublicRolesSet } from './ansible-diff.ts';
import { GEERLINGGUY } from './public-roles-geerlingguy.ts';
import { OTHERS } from './public-roles-others.ts';

const SETS = [GEERLINGGUY, OTHERS];

/** A phase of every set at once; a set's failure is the test's, the other's reported beside it. */
async function eachSet(phase: (s: PublicRolesSet) => Promise<void>): Promise<void> {
  const outcomes = await Promise.allSettled(SETS.map(phase));
  const failures = outcomes.flatMap((o, i) =>
    o.status === 'rejected' ? [{ set: SETS[i].name, error: o.reason }] : [],
  );
  for (const f of failures.slice(1)) console.error(`${f.set} failed too:`, f.error);
  if (failures.length > 0) throw failures[0].error;
  expect(outcomes.map((o) => o.status)).toEqual(SETS.map(() => 'fulfilled'));
}

describe.runIf(canRunLab)('public Ansible roles: ansible-playbook and quorum side by side', () => {
  let fresh: Record<string, Record<string, string>>;

  beforeAll(async () => {
    fresh = await freshLabHosts(SETS.flatMap((s) => s.hosts));
  }, 120_000);

  it('a check run on fresh hosts: the same tasks would change, and quorum writes no file', async () => {
    await eachSet((s) => s.check(fresh));
  }, 600_000);

  it('apply: the same status per task and the same files on both hosts', async () => {
    await eachSet((s) => s.apply(fresh));
  }, 900_000);

  it('second run (and check run): quorum changes nothing, and agrees with Ansible task by task', async () => {
    await eachSet((s) => s.second());
  }, 900_000);
});
