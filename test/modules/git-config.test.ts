/**
 * community.general.git_config held to the collection's module (Debian 13's ansible 12.0.0 under
 * ansible-core 2.19) on this machine's git: each side with a repository, a config file and a
 * HOME of its own (the global scope through the task's environment; the system scope is never
 * touched), the same tasks through ansible-playbook and quorum: the same status task by task,
 * the same registered `msg` and diff, the same settings left; then a check run of the tasks whose
 * end state the play keeps plans nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps } from '../helpers/run-local.ts';
import {
  checkPlansNothing,
  resultsTask,
  sameStatuses,
  sideBySide,
  tableTasks,
  writtenResults,
} from '../helpers/side-by-side.ts';

const canRun = existsSync('/usr/bin/git');

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['a setting in a file', `scope: file, file: ${d}/conf, name: user.name, value: Ops Team`],
  ['the same again', `scope: file, file: ${d}/conf, name: user.name, value: Ops Team`],
  ['another value', `scope: file, file: ${d}/conf, name: user.name, value: Release Bot`],
  ['a second value added', `scope: file, file: ${d}/conf, name: core.hooks, value: one, add_mode: add`],
  ['and another', `scope: file, file: ${d}/conf, name: core.hooks, value: two, add_mode: add`],
  ['added again', `scope: file, file: ${d}/conf, name: core.hooks, value: two, add_mode: add`],
  ['the repository', `scope: local, repo: ${d}/repo, name: pull.rebase, value: "true"`],
  ['the repository again', `scope: local, repo: ${d}/repo, name: pull.rebase, value: "true"`],
  ['unset', `scope: file, file: ${d}/conf, name: core.hooks, state: absent`],
  ['unset again', `scope: file, file: ${d}/conf, name: core.hooks, state: absent`],
  ['local without a repository', 'scope: local, name: user.name, value: x', true],
  ['an empty value', `scope: file, file: ${d}/conf, name: user.name, value: ""`, true],
  ['a name git refuses', `scope: file, file: ${d}/conf, name: nodot, value: x`, true],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('community.general.git_config', tasks)}
    - name: global, in the side's own HOME
      community.general.git_config: { scope: global, name: init.defaultBranch, value: main }
      environment: { HOME: ${d}/home }
      register: r${tasks.length}
${resultsTask(`${d}/results.json`, tasks.length + 1, ['invocation', 'cmd', 'rc'])}
`;

describe.skipIf(!canRun)('git_config, as community.general (ansible-core 2.19)', () => {
  it('sets, adds and unsets what the module does, and registers its diff', async () => {
    const { dir, out, run, oracle } = await sideBySide((d) => {
      mkdirSync(join(d, 'home'));
      execFileSync('git', ['init', '-q', join(d, 'repo')]);
      writeFileSync(join(d, 'conf'), '');
      return play(d);
    });
    const mine = sameStatuses({ run, oracle });
    expect(mine).toMatchObject({
      'a setting in a file': 'changed',
      'the same again': 'ok',
      'added again': 'ok',
      'the repository again': 'ok',
      'unset again': 'ok',
      "global, in the side's own HOME": 'changed',
    });
    const results = (d: string) => writtenResults(join(d, 'results.json'), d);
    // git's error text as the failure's message; Ansible keeps its last newline, quorum's
    // failures end without one
    const trimmed = (rs: Array<Record<string, unknown>>) =>
      rs.map((r) => (r.failed ? { ...r, msg: String(r.msg).trimEnd() } : r));
    expect(trimmed(results(out.quorum))).toEqual(trimmed(results(out.ansible)));
    expect(results(out.quorum)[2]).toMatchObject({ msg: 'setting changed', changed: true });
    for (const f of ['conf', 'repo/.git/config', 'home/.gitconfig'])
      expect(readFileSync(join(out.quorum, f), 'utf8')).toBe(readFileSync(join(out.ansible, f), 'utf8'));

    const kept = TASKS(out.quorum).filter(
      ([n, , fails]) =>
        !fails &&
        ![
          'a setting in a file',
          'the same again',
          'a second value added',
          'and another',
          'added again',
        ].includes(n),
    );
    await checkPlansNothing(dir, play(out.quorum, kept));

    // a value that is not text: the module compares it as given with git's text, so it would
    // write it at every run and then fail building its diff; quorum refuses it before writing
    const conf = readFileSync(join(out.quorum, 'conf'), 'utf8');
    writeFileSync(
      join(dir, 'number.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - community.general.git_config: { scope: file, file: ${out.quorum}/conf, name: core.x, value: 1 }\n`,
    );
    const number = await runLocal(dir, { playbook: 'number.yml' });
    expect(steps(number)[0].error?.message).toBe('git_config: value 1 must be text (quote it in YAML)');
    expect(readFileSync(join(out.quorum, 'conf'), 'utf8')).toBe(conf);
  }, 120_000);
});
