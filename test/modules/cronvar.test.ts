/**
 * community.general.cronvar held to the collection's own module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19) side by side: a crontab's variables set, kept, changed, placed after another,
 * emptied, removed, and one in a cron.d file, with the module's failures. This machine has no cron:
 * each side has a crontab stand-in on PATH that keeps its user's table in a file of its own (the
 * module's contract with crontab is `crontab -l` printing the table or exiting 1 when there is
 * none, and `crontab FILE` installing one). The same statuses, registered fields and tables; the
 * module has no check mode, so quorum's check run of the kept tasks is held to plan nothing.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cronVar, shlexTokens } from '../../src/modules/cronvar-lines.ts';
import {
  checkPlansNothing,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['a variable', 'name: MAILTO, value: ops@example.com'],
  ['the same', 'name: MAILTO, value: ops@example.com'],
  ['another value', 'name: MAILTO, value: root'],
  ['a second, first in the table', 'name: PATH, value: "/usr/bin:/bin"'],
  ['after another', 'name: SHELL, value: /bin/bash, insertafter: MAILTO'],
  ['empty', 'name: EMPTY, value: ""'],
  ['empty again', 'name: EMPTY, value: ""'],
  ['quoted, with a space', `name: GREETING, value: '"hello world"'`],
  ['quoted again', `name: GREETING, value: '"hello world"'`],
  ['removed', 'name: PATH, state: absent'],
  ['removed again', 'name: PATH, state: absent'],
  ['in a cron.d file', `name: X, value: "1", cron_file: ${d}/cron.d/app`],
  ['the file again', `name: X, value: "1", cron_file: ${d}/cron.d/app`],
  ['a folder that is not there', `name: X, value: "1", cron_file: ${d}/none/app`, true],
  ['no value', 'name: Y', true],
  ['before and after', 'name: Y, value: "1", insertbefore: A, insertafter: B', true],
];

/** The stand-in: `crontab [-u U] -l` prints the table or fails as cron's does; `crontab [-u U] FILE|-` installs it. */
const CRONTAB = (store: string) => `#!/bin/sh
u=root; [ "$1" = -u ] && { u=$2; shift 2; }
if [ "$1" = -l ]; then [ -f ${store}/$u ] || { echo "no crontab for $u" >&2; exit 1; }; cat ${store}/$u; exit 0; fi
if [ "$1" = - ]; then cat > ${store}/$u; else cat "$1" > ${store}/$u; fi
`;

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  environment:
    PATH: "${d}/bin:/usr/local/bin:/usr/bin:/bin"
  tasks:
${tableTasks('community.general.cronvar', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation'])}
`;

function setUp(d: string): string {
  for (const f of ['bin', 'tables', 'cron.d']) mkdirSync(join(d, f));
  writeFileSync(join(d, 'bin', 'crontab'), CRONTAB(join(d, 'tables')));
  chmodSync(join(d, 'bin', 'crontab'), 0o755);
  writeFileSync(join(d, 'tables', 'root'), '# the backup job\n0 3 * * * /usr/local/bin/backup\n');
  return play(d);
}

describe('community.general.cronvar, as the collection (ansible-core 2.19)', () => {
  it("reads a line as the module's shlex does", () => {
    expect(shlexTokens('A="x y" b#c')).toEqual(['A', '=', '"x y"', 'b']);
    expect(cronVar('PATH = /usr/bin:/bin  # where')).toEqual({ name: 'PATH', value: '/usr/bin:/bin' });
    expect(cronVar('X=a b')).toEqual({ name: 'X', value: 'ab' });
    expect(cronVar('0 3 * * * job')).toBeUndefined();
    expect(cronVar('# A=1')).toBeUndefined();
  });

  it('sets, keeps and removes variables as the module does', async () => {
    const sides = await sideBySide(setUp);
    const { dir, out } = sides;
    expect(sameStatuses(sides)).toMatchObject({
      'a variable': 'changed',
      'the same': 'ok',
      'empty again': 'ok',
      'quoted again': 'ok',
      'removed again': 'ok',
      'the file again': 'ok',
      'no value': 'failed',
    });
    const results = sameResults(out);
    expect(results[10].vars).toEqual(['GREETING', 'EMPTY', 'MAILTO', 'SHELL']);
    expect(readFileSync(join(out.quorum, 'tables/root'), 'utf8')).toBe(
      'GREETING="hello world"\nEMPTY=""\nMAILTO=root\nSHELL=/bin/bash\n# the backup job\n0 3 * * * /usr/local/bin/backup\n',
    );
    for (const f of ['tables/root', 'cron.d/app'])
      expect(readFileSync(join(out.quorum, f), 'utf8'), f).toBe(readFileSync(join(out.ansible, f), 'utf8'));
    // what the table holds at the end: MAILTO=root, PATH removed
    const ended = [
      'another value',
      'after another',
      'empty again',
      'quoted again',
      'removed again',
      'the file again',
    ];
    const kept = TASKS(out.quorum).filter(([n]) => ended.includes(n));
    await checkPlansNothing(dir, play(out.quorum, kept));
  }, 120_000);
});
