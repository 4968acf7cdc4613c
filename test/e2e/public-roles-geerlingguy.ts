/**
 * Real Ansible roles of geerlingguy, unchanged: ansible-playbook on one fresh lab host, quorum on
 * another, the same playbook. Check runs, applies and second runs are compared task by task,
 * and the files each run wrote are compared path by path (lab-public-roles.suite.ts runs it).
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  bothRuns,
  compare,
  type PublicRolesSet,
  quorumRun,
  reportComparison,
  written,
  writtenDifferences,
} from './ansible-diff.ts';

const PLAYBOOK = join(import.meta.dirname, '../fixtures/playbooks/ansible-corpus.yml');
const [ANSIBLE, QUORUM] = ['cp1', 'cp2'];
const report = (what: string, c: Parameters<typeof reportComparison>[1]) =>
  reportComparison(`geerlingguy, ${what}`, c);
const both = (check: boolean) => bothRuns(PLAYBOOK, [ANSIBLE, QUORUM], check);

export const GEERLINGGUY: PublicRolesSet = {
  name: 'geerlingguy',
  hosts: [ANSIBLE, QUORUM],

  async check(fresh) {
    const [a, q] = await both(true);
    const c = compare(a, q.results);
    report('check', c);
    // Ansible's check run stops a host at a service its check did not install (memcached):
    // only the tasks it reached compare; quorum predicts the rest
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.8);
    expect(written(QUORUM, fresh[QUORUM])).toEqual({});
  },

  async apply(fresh) {
    const [a, q] = await both(false);
    const c = compare(a, q.results);
    report('apply', c);
    expect(q.code).toBe(0);
    expect(c.extraNotSkipped).toEqual([]);
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.9);
    expect(writtenDifferences('geerlingguy', fresh, [ANSIBLE, QUORUM]).differ).toEqual([]);
  },

  async second() {
    const [a, q] = await both(false);
    const c = compare(a, q.results);
    report('second run', c);
    expect(q.results.filter((r) => r.status === 'changed')).toEqual([]);
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.9);
    const check = await quorumRun(PLAYBOOK, QUORUM, true);
    expect(check.results.filter((r) => r.status === 'changed')).toEqual([]);
  },
};
