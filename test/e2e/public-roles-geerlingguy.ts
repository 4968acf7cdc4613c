/**
 * Real Ansible roles of geerlingguy, unchanged: ansible-playbook on one fresh lab host, quorum on
 * another, the same playbook. Check runs, applies and second runs are compared task by task,
 * and the files each run wrote are compared path by path (lab-public-roles.suite.ts runs it).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { comparedRuns, type PublicRolesSet, quorumRun, written, writtenDifferences } from './ansible-diff.ts';

const PLAYBOOK = join(import.meta.dirname, '../fixtures/playbooks/ansible-corpus.yml');
const [ANSIBLE, QUORUM] = ['cp1', 'cp2'];
const runs = (check: boolean, what: string) =>
  comparedRuns('geerlingguy', PLAYBOOK, [ANSIBLE, QUORUM], check, what);

export const GEERLINGGUY: PublicRolesSet = {
  name: 'geerlingguy',
  hosts: [ANSIBLE, QUORUM],

  async check(fresh) {
    const { c } = await runs(true, 'check');
    // Ansible's check run stops a host at a service its check did not install (memcached):
    // only the tasks it reached compare; quorum predicts the rest
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.8);
    expect(written(QUORUM, fresh[QUORUM])).toEqual({});
  },

  async apply(fresh) {
    const { q, c } = await runs(false, 'apply');
    expect(q.code).toBe(0);
    expect(c.extraNotSkipped).toEqual([]);
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.9);
    expect(writtenDifferences('geerlingguy', fresh, [ANSIBLE, QUORUM]).differ).toEqual([]);
  },

  async second() {
    const { q, c } = await runs(false, 'second run');
    expect(q.results.filter((r) => r.status === 'changed')).toEqual([]);
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.9);
    const check = await quorumRun(PLAYBOOK, QUORUM, true);
    expect(check.results.filter((r) => r.status === 'changed')).toEqual([]);
  },
};
