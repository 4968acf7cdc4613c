/**
 * cron held to ansible-core 2.19's module side by side, on cron files (`cron_file`, an absolute
 * path in each side's folder): jobs added, changed in place, found by their line without a
 * marker, disabled, special times, removed (a file left without a job removed), variables with
 * `env` (insertafter/insertbefore), a last line without its newline, the module's argument
 * failures; the same files, statuses and registered jobs/envs; a second run changes what
 * Ansible's changes, and a check run predicts what Ansible's check run does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { changedSteps, runLocal } from '../helpers/run-local.ts';
import {
  ansibleStatuses,
  changedAgain,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

/** Each side's cron files before the run: a job written by hand, a file without its last newline. */
const files = (side: string) => ({
  [`${side}/backup`]: 'MAILTO=root\n#Ansible: nightly\n0 2 * * * root /usr/local/bin/backup\n',
  [`${side}/byhand`]: '*/5 * * * * root /usr/bin/true\n',
  [`${side}/nonl`]: '#Ansible: tick\n* * * * * root /bin/tick',
  [`${side}/single`]: '#Ansible: only\n@daily root /bin/only\n',
});

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['add', `name: report, cron_file: ${d}/new, user: root, minute: "30", hour: "4", job: /bin/report`],
  [
    'unchanged',
    `name: nightly, cron_file: ${d}/backup, user: root, minute: "0", hour: "2", job: /usr/local/bin/backup`,
  ],
  [
    'changed in place',
    `name: nightly, cron_file: ${d}/backup, user: root, minute: "15", hour: "3", job: /usr/local/bin/backup`,
  ],
  ['found by its line', `name: five, cron_file: ${d}/byhand, user: root, minute: "*/5", job: /usr/bin/true`],
  [
    'disabled',
    `name: report, cron_file: ${d}/new, user: root, minute: "30", hour: "4", job: /bin/report, disabled: true`,
  ],
  ['special time', `name: boot, cron_file: ${d}/new, user: nobody, special_time: reboot, job: /bin/boot`],
  ['env first', `name: PATH, env: true, cron_file: ${d}/backup, user: root, job: /usr/bin:/bin`],
  [
    'env after',
    `name: SHELL, env: true, cron_file: ${d}/backup, user: root, job: /bin/sh, insertafter: PATH`,
  ],
  ['env again', `name: MAILTO, env: true, cron_file: ${d}/backup, user: root, job: ops`],
  ['newline only', `name: tick, cron_file: ${d}/nonl, user: root, job: /bin/tick`],
  ['removed', `name: five, cron_file: ${d}/byhand, state: absent`],
  ['file removed', `name: only, cron_file: ${d}/single, state: absent`],
  ['not there', `name: nothing, cron_file: ${d}/backup, state: absent`],
  ['no user', `name: x, cron_file: ${d}/other, job: /bin/x`, true],
  [
    'special and time',
    `name: x, cron_file: ${d}/other, user: root, special_time: daily, hour: "1", job: /bin/x`,
    true,
  ],
];

const play = (d: string) =>
  `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks('cron', TASKS(d))}\n${resultsTask(`${d}/results.json`, TASKS(d).length, ['invocation'])}\n`;

describe('cron', () => {
  it('edits cron files as ansible-core 2.19 does; run again, changes what it changes', async () => {
    const both = await sideBySide(play, { ...files('q'), ...files('a') });
    const statuses = sameStatuses(both);
    expect(statuses).toMatchObject({
      add: 'changed',
      unchanged: 'ok',
      'newline only': 'changed',
      'no user': 'failed',
    });
    const results = sameResults(both.out);
    expect(results[0]).toMatchObject({ jobs: ['report'] });
    const read = (side: string, f: string) =>
      existsSync(join(side, f)) ? readFileSync(join(side, f), 'utf8') : 'gone';
    for (const f of ['new', 'backup', 'byhand', 'nonl', 'single', 'other'])
      expect(read(both.out.quorum, f), f).toBe(read(both.out.ansible, f));
    // emptied by state: absent, byhand and single were removed
    expect([read(both.out.quorum, 'byhand'), read(both.out.quorum, 'single')]).toEqual(['gone', 'gone']);
    expect(readFileSync(join(both.out.quorum, 'backup'), 'utf8')).toBe(
      'PATH="/usr/bin:/bin"\nSHELL="/bin/sh"\nMAILTO="ops"\n#Ansible: nightly\n15 3 * * * root /usr/local/bin/backup\n',
    );
    // the tasks undo each other (a job set, changed, removed): run again, each engine changes
    // the same tasks, and a check run after that predicts exactly the ones a run would change
    const again = await changedAgain(both.dir);
    expect(again).toEqual([
      'add',
      'unchanged',
      'changed in place',
      'found by its line',
      'disabled',
      'removed',
    ]);
    // a check run sees each file as it is (the changes before it only predicted), as Ansible's
    const [check, theirs] = await Promise.all([
      runLocal(both.dir, { check: true }),
      ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml', '--check'], both.dir),
    ]);
    const theirChanged = Object.entries(ansibleStatuses(theirs.stdout))
      .filter(([t, st]) => st === 'changed' && t !== 'results')
      .map(([t]) => `h1 ${t}`);
    expect(changedSteps(check).filter((s) => s !== 'h1 results')).toEqual(theirChanged.sort());
    expect(theirChanged.length).toBeGreaterThan(0);
  }, 120_000);
});
