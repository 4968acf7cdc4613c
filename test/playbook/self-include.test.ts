/**
 * A task file that includes itself again from its rescue, the retry idiom of
 * https://github.com/ansible/ansible/issues/46203 (kubespray's calico update-node.yml): run as
 * ansible-core 2.19 runs it while it ends by its own condition; past the depth quorum reads
 * ahead, the include fails where it would run, saying why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

const retry = (succeedAt: number, giveUpAt: number) => `
- name: configure
  block:
    - name: count the attempt
      set_fact:
        retry_count: "{{ 0 if retry_count is undefined else retry_count | int + 1 }}"
    - name: the step that fails at first
      shell: echo "attempt {{ retry_count }}" >> {{ out }}/log; test {{ retry_count }} -ge ${succeedAt}
  rescue:
    - name: give up
      fail: { msg: "Ended after {{ retry_count }} retries" }
      when: retry_count | int == ${giveUpAt}
    - name: retry
      include_tasks: retry.yml
`;

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  tasks:
    - include_tasks: retry.yml
    - name: after
      shell: echo "done after {{ retry_count }}" >> {{ out }}/log
`;

it('retries by including itself until its step succeeds, as ansible-core 2.19', async () => {
  const side = await sideBySide(play, { 'retry.yml': retry(4, 10) });
  bothSucceeded(side);
  const log = (d: string) => readFileSync(join(d, 'log'), 'utf8');
  expect(log(side.out.quorum)).toBe(log(side.out.ansible).replaceAll(side.out.ansible, side.out.quorum));
  expect(log(side.out.quorum)).toBe('attempt 0\nattempt 1\nattempt 2\nattempt 3\nattempt 4\ndone after 4\n');
}, 120_000);

it('past the depth it reads ahead, the include fails on the host that reaches it, saying why', async () => {
  const dir = workspace();
  const out = join(dir, 'q');
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': play(out),
    'retry.yml': retry(99, 99),
    'q/.keep': '',
  });
  // validate accepts it: whether the deepest include runs is known only at run time
  expect(validateCli(play(out), undefined, { 'retry.yml': retry(99, 99) }).code).toBe(0);
  const run = await runLocal(dir);
  expect(run.code).not.toBe(0);
  // the 12 attempts' failures are rescued; the host fails at the include past the depth
  const failed = steps(run).filter((s) => s.status === 'failed');
  expect(failed).toHaveLength(13);
  expect(failed.at(-1)?.error?.message).toMatch(/retry\.yml includes itself more than 12 deep/);
  // every attempt before it ran
  expect(readFileSync(join(out, 'log'), 'utf8').split('\n').filter(Boolean)).toHaveLength(12);
}, 120_000);
