/**
 * Public roles of authors other than geerlingguy (robertdebock, Oefenweb, jnv, mrlesmithjr,
 * dev-sec, weareinteractive: test/corpus/README.md), unchanged, on two fresh lab hosts:
 * ansible-playbook 2.19 with Debian 13's collections on w1, quorum on w2 (lab-public-roles.suite.ts
 * runs it beside the geerlingguy set). Unlike that set, nothing here is known to differ: check,
 * apply and second run must agree task by task, and the files written must be the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stateDir } from '../../src/lab/lab.ts';
import {
  bothRuns,
  type Comparison,
  compare,
  comparedRuns,
  type PublicRolesSet,
  reportComparison,
  written,
  writtenDifferences,
} from './ansible-diff.ts';

const PLAYBOOK = join(import.meta.dirname, '../fixtures/playbooks/ansible-corpus-others.yml');
const report = (what: string, c: Comparison) => reportComparison(`others, ${what}`, c);
const [ANSIBLE, QUORUM] = ['w1', 'w2'];

/**
 * Files that name their own host (exim's, set up by a package) or when crontab(1) installed them
 * (its header line) are compared with those parts taken out.
 */
function sameButHost(path: string): boolean {
  const read = (host: string) =>
    readFileSync(join(stateDir(), 'hosts', host, 'upper', path), 'utf8')
      .replaceAll(host, '<host>')
      .replace(/^# \(.* installed on .*\)$/m, '# (crontab header)');
  return existsSync(join(stateDir(), 'hosts', ANSIBLE, 'upper', path)) && read(ANSIBLE) === read(QUORUM);
}

/**
 * The one known difference, in the README: a YAML float with no fraction (chrony's default
 * `chrony_maxupdateskew: 100.0`) is a JavaScript number in quorum and prints as 100. Only
 * that line may differ.
 */
function knownDifference(path: string): boolean {
  if (path !== '/etc/chrony/chrony.conf') return false;
  const read = (host: string) => readFileSync(join(stateDir(), 'hosts', host, 'upper', path), 'utf8');
  return read(ANSIBLE).replace('maxupdateskew 100.0\n', 'maxupdateskew 100\n') === read(QUORUM);
}

const both = (check: boolean) => bothRuns(PLAYBOOK, [ANSIBLE, QUORUM], check);
const runs = (check: boolean, what: string) =>
  comparedRuns('others', PLAYBOOK, [ANSIBLE, QUORUM], check, what);

export const OTHERS: PublicRolesSet = {
  name: 'others',
  hosts: [ANSIBLE, QUORUM],

  async check(fresh) {
    const [a, q] = await both(true);
    // Ansible's check stops a fresh host at the first service whose package its check did not
    // install (robertdebock.cron's "Start and enable cron"); quorum predicts the start. Compared:
    // every task before it, and that one must be the service quorum predicts to change.
    const stop = a.findIndex((r) => r.status === 'failed');
    const c = compare(stop < 0 ? a : a.slice(0, stop), q.results);
    report('check', c);
    expect(c.differ).toEqual([]);
    if (stop >= 0) {
      // no such service yet; or, where this machine has cron (the lab hosts' root is the
      // machine's, and the cron test needs crontab), its status query failing without systemd
      expect(a[stop].message).toMatch(/Could not find the requested service|Error executing command/);
      expect(q.results.find((r) => r.key === a[stop].key)?.status).toBe('changed');
    }
    expect(c.compared).toBeGreaterThan(10);
    expect(written(QUORUM, fresh[QUORUM])).toEqual({});
  },

  async apply(fresh) {
    const { q, c } = await runs(false, 'apply');
    expect(q.code).toBe(0);
    expect(c.differ).toEqual([]);
    expect(c.extraNotSkipped).toEqual([]);
    const files = writtenDifferences(
      'others',
      fresh,
      [ANSIBLE, QUORUM],
      (p) => sameButHost(p) || knownDifference(p),
    );
    expect(files.differ).toEqual([]);
    expect(files.paths).toBeGreaterThan(20);
  },

  async second() {
    const { q, c } = await runs(false, 'second run');
    expect(c.differ).toEqual([]);
    expect(q.results.filter((r) => r.status === 'changed')).toEqual([]);
    const converged = await runs(true, 'check when converged');
    expect(converged.c.differ).toEqual([]);
    expect(converged.q.results.filter((r) => r.status === 'changed')).toEqual([]);
  },
};
