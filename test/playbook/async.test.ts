/**
 * `async` with `poll`: the task runs to its end within `async` seconds, or fails as Ansible
 * fails it; `poll: 0` starts it and goes on, and `async_status` reads how it ended. Held to
 * ansible-playbook 2.19 running the same play.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeEnds, runLocal, steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) =>
  [
    '- hosts: all',
    '  gather_facts: false',
    '  tasks:',
    '    - name: within its time',
    '      shell: sleep 0.2; echo done',
    '      async: 20',
    '      poll: 1',
    '      register: quick',
    `    - copy: { dest: ${out}/quick, content: "{{ quick.stdout }}" }`,
    '    - name: past its time',
    `      shell: sleep 4; touch ${out}/late`,
    '      async: 1',
    '      poll: 1',
    '',
  ].join('\n');

describe('async and poll', () => {
  it('bound a task by its seconds, as ansible-core 2.19 does', async () => {
    // the job's results in a folder of the test (the oracle's HOME is a throw-away one)
    const { dir, run, oracle } = await sideBySide(play, {}, (d) => [
      '-e',
      `ansible_async_dir=${join(d, 'async')}`,
    ]);
    expect(readFileSync(join(dir, 'a/quick'), 'utf8')).toBe('done');
    expect(readFileSync(join(dir, 'q/quick'), 'utf8')).toBe('done');
    expect(oracle.code).toBe(2);
    expect(oracle.stdout).toContain('async task did not complete within the requested time - 1s');
    expect(run.code).toBe(2);
    const late = nodeEnds(run).find((n) => n.item === 'past its time');
    expect(late?.status).toBe('failed');
    expect(late?.reason).toContain('async task did not complete within the requested time - 1s');
  }, 60_000);

  it('poll: 0 starts the job and goes on; async_status reads its end, as ansible-core 2.19', async () => {
    const { dir, run, oracle } = await sideBySide(background);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const statuses = Object.fromEntries(steps(run).map((s) => [s.task, s.status]));
    expect(statuses).toEqual(ansibleStatuses(oracle.stdout));
    expect(statuses).toMatchObject({
      'a command in the background': 'changed',
      'its end': 'failed',
      'a module in the background': 'changed',
      'copy has no async': 'failed',
      cleanup: 'ok',
      'gone after cleanup': 'failed',
    });
    for (const f of ['started', 'ended', 'module']) {
      const [mine, theirs] = ['q', 'a'].map((s) =>
        readFileSync(join(dir, s, f), 'utf8')
          .replaceAll(join(dir, s), 'OUT')
          .replace(/j\d+\.\d+/, 'JID'),
      );
      expect(mine).toBe(theirs);
    }
    expect(readFileSync(join(dir, 'q/ended'), 'utf8')).toBe('3|out|err|True|True|non-zero return code|True');
    // the background command was not waited for: async_status found it running first
    expect(run.events.some((e) => e.type === 'retry' && e.task === 'its end')).toBe(true);
    expect(readFileSync(join(dir, 'q/started'), 'utf8').replace(join(dir, 'q'), 'OUT')).toMatch(
      /^True False True OUT\/async\/j\d{12}\.\d+$/,
    );
    // a check run starts nothing: the jobs and what async_status reads are known after apply
    rmSync(join(dir, 'q'), { recursive: true });
    mkdirSync(join(dir, 'q'));
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    expect(readdirSync(join(dir, 'q'))).toEqual([]);
  }, 90_000);
});

const background = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { ansible_async_dir: ${out}/async }
  tasks:
    - name: a command in the background
      shell: sleep 1; echo out; echo err >&2; exit 3
      async: 20
      poll: 0
      register: job
    - copy: { dest: ${out}/started, content: "{{ job.started }} {{ job.finished }} {{ job.changed }} {{ job.results_file }}" }
    - name: its end
      async_status: { jid: "{{ job.ansible_job_id }}" }
      register: r
      until: r.finished
      retries: 30
      delay: 1
      ignore_errors: true
    - copy: { dest: ${out}/ended, content: "{{ [r.rc, r.stdout, r.stderr, r.finished, r.failed, r.msg, r.stderr_lines == ['err']] | join('|') }}" }
    - name: a module in the background
      file: { path: ${out}/made, state: directory }
      async: 20
      poll: "{{ 0 }}"
      register: fjob
    - name: its result
      async_status: { jid: "{{ fjob.ansible_job_id }}" }
      register: fr
      until: fr.finished
      retries: 30
      delay: 1
    - copy: { dest: ${out}/module, content: "{{ [fr.changed, fr.state, fr.path, fr.finished] | join('|') }}" }
    - name: copy has no async
      copy: { dest: ${out}/never, content: x }
      async: 20
      poll: 0
      ignore_errors: true
    - name: cleanup
      async_status: { jid: "{{ fjob.ansible_job_id }}", mode: cleanup }
    - name: gone after cleanup
      async_status: { jid: "{{ fjob.ansible_job_id }}" }
      ignore_errors: true
`;
