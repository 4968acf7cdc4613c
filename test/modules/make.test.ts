/**
 * community.general.make held to the collection's module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19) on this machine's make: one Makefile per side, the same tasks through
 * ansible-playbook and quorum: the same status task by task, the same registered fields (the
 * command, the build's output) and the same files built; then a check run on the built folder
 * plans nothing, and one where a source is newer plans the build and builds nothing.
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps } from '../helpers/run-local.ts';
import {
  ansibleStatuses,
  resultsTask,
  sameResults,
  sameStatuses,
  sideBySide,
  tableTasks,
} from '../helpers/side-by-side.ts';

const MAKEFILE = `all: out.txt

out.txt: in.txt
\tcp in.txt out.txt
\t@echo built out.txt

greeting.txt:
\techo "hello $(NAME) $(MODE)" > greeting.txt

.PHONY: broken
broken:
\t@echo about to fail >&2
\tfalse
`;

const OTHER = `custom.txt:
\techo custom > custom.txt
`;

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['the default target', `chdir: ${d}`],
  ['again, up to date', `chdir: ${d}`],
  ['a named target with parameters', `chdir: ${d}, target: greeting.txt, params: { NAME: ops, MODE: fast }`],
  ['the same again', `chdir: ${d}, target: greeting.txt, params: { NAME: ops, MODE: fast }`],
  ['another makefile, two jobs', `chdir: ${d}, file: other.mk, targets: [custom.txt], jobs: 2`],
  ['a target that fails', `chdir: ${d}, target: broken`, true],
  ['target and targets', `chdir: ${d}, target: a, targets: [b]`, true],
];

const play = (d: string) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('community.general.make', TASKS(d))}
${resultsTask(`${d}/results.json`, 5, ['invocation'])}
`;

describe('make, as community.general (ansible-core 2.19)', () => {
  it('builds what the module builds, task by task, and registers what it registers', async () => {
    const { dir, out, run, oracle } = await sideBySide((d) => {
      writeFileSync(join(d, 'Makefile'), MAKEFILE);
      writeFileSync(join(d, 'other.mk'), OTHER);
      writeFileSync(join(d, 'in.txt'), 'source\n');
      return play(d);
    });
    const mine = sameStatuses({ run, oracle });
    expect(mine).toMatchObject({
      'the default target': 'changed',
      'again, up to date': 'ok',
      'a named target with parameters': 'changed',
      'the same again': 'ok',
      'a target that fails': 'failed',
      'target and targets': 'failed',
    });
    const results = sameResults(out);
    expect(results[0]).toMatchObject({ stdout: 'cp in.txt out.txt\nbuilt out.txt' });
    for (const f of ['out.txt', 'greeting.txt', 'custom.txt'])
      expect(readFileSync(join(out.quorum, f), 'utf8')).toBe(readFileSync(join(out.ansible, f), 'utf8'));
    expect(readFileSync(join(out.quorum, 'greeting.txt'), 'utf8')).toBe('hello ops fast\n');
    const failure = steps(run).find((s) => s.task === 'a target that fails');
    expect(failure?.error?.message).toContain('make: *** [Makefile');

    // a check run of the first task: nothing when built; the build when its source is newer
    const checkOn = async (d: string) => {
      writeFileSync(
        join(dir, 'check.yml'),
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: build\n      community.general.make: { chdir: ${d} }\n`,
      );
      const mineCheck = steps(await runLocal(dir, { playbook: 'check.yml', check: true }))[0].status;
      const theirs = await ansibleCurrent(
        'ansible-playbook',
        ['-i', 'hosts.ini', 'check.yml', '--check'],
        dir,
      );
      return [mineCheck, ansibleStatuses(theirs.stdout).build];
    };
    expect(await checkOn(out.quorum)).toEqual(['ok', 'ok']);
    const later = new Date(Date.now() + 60_000);
    for (const d of [out.quorum, out.ansible]) utimesSync(join(d, 'in.txt'), later, later);
    const built = readFileSync(join(out.quorum, 'out.txt'), 'utf8');
    expect(await checkOn(out.quorum)).toEqual(['would_change', 'changed']);
    expect(readFileSync(join(out.quorum, 'out.txt'), 'utf8')).toBe(built);
  }, 120_000);
});
