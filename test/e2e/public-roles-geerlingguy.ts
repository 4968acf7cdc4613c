/**
 * Real Ansible roles, unchanged, on two fresh lab hosts: ansible-playbook on cp1, quorum on
 * cp2, the same playbook. Check runs, applies and second runs are compared task by task, and
 * the files each run wrote are compared path by path.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canRunLab } from '../helpers/lab.ts';
import {
  ansibleResults,
  compare,
  freshLabHosts,
  quorumRun,
  reportComparison,
  written,
} from './ansible-diff.ts';

const PLAYBOOK = join(import.meta.dirname, '../fixtures/playbooks/ansible-corpus.yml');
const report = reportComparison;

describe.runIf(canRunLab)('public Ansible roles: ansible-playbook and quorum side by side', () => {
  let fresh: Record<string, Record<string, string>>;

  beforeAll(async () => {
    fresh = await freshLabHosts();
  }, 120_000);

  it('a check run on fresh hosts: the same tasks would change, and quorum writes no file', async () => {
    const [a, q] = await Promise.all([
      ansibleResults(PLAYBOOK, 'cp1', true),
      quorumRun(PLAYBOOK, 'cp2', true),
    ]);
    const c = compare(a, q.results);
    report('check', c);
    // Ansible's check run stops a host at a service its check did not install (memcached):
    // only the tasks it reached compare; quorum predicts the rest
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.8);
    expect(written('cp2', fresh.cp2)).toEqual({});
  }, 600_000);

  it('apply: the same status per task and the same files on both hosts', async () => {
    const [a, q] = await Promise.all([
      ansibleResults(PLAYBOOK, 'cp1', false),
      quorumRun(PLAYBOOK, 'cp2', false),
    ]);
    const c = compare(a, q.results);
    report('apply', c);
    expect(q.code).toBe(0);
    expect(c.extraNotSkipped).toEqual([]);
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.9);
    const ansibleFiles = written('cp1', fresh.cp1);
    const quorumFiles = written('cp2', fresh.cp2);
    const paths = [...new Set([...Object.keys(ansibleFiles), ...Object.keys(quorumFiles)])].sort();
    const differentFiles = paths.filter((p) => ansibleFiles[p] !== quorumFiles[p]);
    console.log(
      `files: ${paths.length - differentFiles.length}/${paths.length} identical; differ: ${JSON.stringify(differentFiles)}`,
    );
    expect(differentFiles).toEqual([]);
  }, 900_000);

  it('second runs: quorum changes nothing, and agrees with Ansible task by task', async () => {
    const [a, q] = await Promise.all([
      ansibleResults(PLAYBOOK, 'cp1', false),
      quorumRun(PLAYBOOK, 'cp2', false),
    ]);
    const c = compare(a, q.results);
    report('second run', c);
    expect(q.results.filter((r) => r.status === 'changed')).toEqual([]);
    expect(c.same / c.compared).toBeGreaterThanOrEqual(0.9);
    const check = await quorumRun(PLAYBOOK, 'cp2', true);
    expect(check.results.filter((r) => r.status === 'changed')).toEqual([]);
  }, 600_000);
});
