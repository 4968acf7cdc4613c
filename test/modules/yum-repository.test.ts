/**
 * yum_repository held to ansible-core 2.19's module side by side (each side's own `reposdir`):
 * a new repository, one added to a file that holds another (kept), the same again, a changed
 * option, options of every kind (lists one per line and on one line, booleans, numbers), a mode,
 * one removed from a shared file and the last one of a file (the file removed), the module's
 * failures; the same files, modes, statuses and results; then nothing changes on a second run
 * and a check run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSteps, runLocal } from '../helpers/run-local.ts';
import {
  changedAgain,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

/** A hand-written file of two repositories, a comment and its own spacing (configparser rewrites it). */
const files = (side: string) => ({
  [`${side}/shared.repo`]:
    '# site repositories\n[base]\nname=Base\nbaseurl=http://mirror.test/base\nenabled = 1\n\n[extra]\nname = Extra\nbaseurl = http://mirror.test/extra\n',
  [`${side}/single.repo`]: '[lonely]\nname = Lonely\nbaseurl = http://mirror.test/lonely\n',
});

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  [
    'new',
    `name: nginx, description: NGINX, baseurl: "http://nginx.test/$releasever/$basearch/", gpgcheck: true, enabled: true, reposdir: ${d}, mode: "0600"`,
  ],
  [
    'same again',
    `name: nginx, description: NGINX, baseurl: "http://nginx.test/$releasever/$basearch/", gpgcheck: true, enabled: true, reposdir: ${d}, mode: "0600"`,
  ],
  [
    'every kind',
    `name: docker, description: Docker CE, file: shared, reposdir: ${d}, baseurl: [http://d.test/a, http://d.test/b], gpgkey: http://d.test/gpg, exclude: [kernel*, grub2], priority: 9, module_hotfixes: true, sslverify: false, metadata_expire: 1h, timeout: 30`,
  ],
  [
    'changed option',
    `name: extra, description: Extra, file: shared, reposdir: ${d}, baseurl: http://mirror.test/extra, enabled: false`,
  ],
  ['removed', `name: base, file: shared, reposdir: ${d}, state: absent`],
  ['the last one', `name: lonely, file: single, reposdir: ${d}, state: absent`],
  ['not there', `name: ghost, reposdir: ${d}, state: absent`],
  ['no url', `name: x, description: X, reposdir: ${d}`, true],
  ['no description', `name: x, baseurl: http://x.test, reposdir: ${d}`, true],
  ['no folder', `name: x, description: X, baseurl: http://x.test, reposdir: ${d}/nowhere`, true],
];

const play = (d: string) =>
  `- hosts: all\n  gather_facts: false\n  tasks:\n${tableTasks('yum_repository', TASKS(d))}\n${resultsTask(`${d}/results.json`, TASKS(d).length, ['invocation', 'diff'])}\n`;

describe('yum_repository', () => {
  it('writes .repo files as ansible-core 2.19 does, other sections kept, then changes nothing', async () => {
    const both = await sideBySide(play, { ...files('q'), ...files('a') });
    const statuses = sameStatuses(both);
    expect(statuses).toMatchObject({
      new: 'changed',
      'same again': 'ok',
      'the last one': 'changed',
      'no url': 'failed',
    });
    const results = sameResults(both.out);
    expect(results[0]).toMatchObject({ repo: 'nginx', state: 'present', changed: true });
    const read = (side: string, f: string) =>
      existsSync(join(side, f)) ? readFileSync(join(side, f), 'utf8') : 'gone';
    for (const f of ['nginx.repo', 'shared.repo', 'single.repo'])
      expect(read(both.out.quorum, f), f).toBe(read(both.out.ansible, f));
    expect(read(both.out.quorum, 'single.repo')).toBe('gone');
    expect(read(both.out.quorum, 'shared.repo')).toContain('baseurl = http://d.test/a\n\thttp://d.test/b\n');
    const mode = (side: string) => statSync(join(side, 'nginx.repo')).mode & 0o777;
    expect(mode(both.out.quorum)).toBe(mode(both.out.ansible));
    expect(mode(both.out.quorum)).toBe(0o600);
    expect(await changedAgain(both.dir)).toEqual([]);
    expect(changedSteps(await runLocal(both.dir, { check: true })).filter((s) => s !== 'h1 results')).toEqual(
      [],
    );
  }, 120_000);
});
