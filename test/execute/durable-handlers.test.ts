/**
 * Durable handlers (issue 22): a handler notified on a host is recorded there before the change
 * that notifies it; a run that fails before its handlers ran leaves the record, and the next run
 * runs the handler though nothing changes then, saying from which run; a check run shows it as
 * will-run and writes nothing; once it ran, it is gone. (The lab test interrupts a run with a
 * real SIGINT over SSH.) This machine is the host: a play name of its own keeps its records apart.
 *
 * Ansible, the same playbook (ansible-core 2.14 and 2.19, run here): the first run reports
 * changed=1 failed=1 and no handler; the second run (fail_it=false) reports changed=0 and runs
 * no handler either: the config changed and the service is never restarted with it.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PENDING_FILE } from '../../src/execute/pending-handlers.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const events = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
const handlerEvents = (stdout: string) =>
  events(stdout).filter((e): e is Extract<RunEvent, { type: 'handler' }> => e.type === 'handler');
const records = (play: string) =>
  (existsSync(PENDING_FILE) ? readFileSync(PENDING_FILE, 'utf8') : '')
    .split('\n')
    .filter((l) => l.includes(play));

describe('durable handlers', () => {
  it('a run that fails after the notifying change leaves the handler to the next run, which runs it once', () => {
    const dir = workspace();
    const play = `durable-${randomBytes(4).toString('hex')}`;
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- name: ${play}
  hosts: all
  gather_facts: false
  tasks:
    - copy: { content: "v1\\n", dest: ${dir}/app.conf }
      notify: restart app
    - command: "false"
      when: fail_it | default(true) | bool
  handlers:
    - name: restart app
      command: touch ${dir}/restarted
`,
    });
    const env = { QUORUM_DURABLE_HANDLERS: 'on' };
    const args = ['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json'];
    const first = quorum(args, { env });
    expect(first.code).toBe(2);
    expect(existsSync(join(dir, 'restarted'))).toBe(false);
    const runId = (events(first.stdout).find((e) => e.type === 'run_start') as { runId: string }).runId;
    expect(records(play)).toEqual([`play play.yml / ${play}: restart app\t${runId}\tcopy`]);

    const check = quorum([...args, '--check', '-e', 'fail_it=false'], { env });
    expect(check.code).toBe(0);
    expect(handlerEvents(check.stdout)).toEqual([
      expect.objectContaining({
        handler: 'restart app',
        status: 'would_change',
        because: [`pending from run ${runId} (copy)`],
      }),
    ]);
    expect(existsSync(join(dir, 'restarted'))).toBe(false);
    expect(records(play)).toHaveLength(1);

    const second = quorum([...args, '-e', 'fail_it=false'], { env });
    expect(second.code).toBe(0);
    // nothing changed this time; the handler runs because the earlier run left it
    expect(
      events(second.stdout)
        .filter((e) => e.type === 'step' && e.status === 'changed')
        .map((e) => (e as { module: string }).module),
    ).toEqual(['command']);
    expect(handlerEvents(second.stdout).map((e) => e.because)).toEqual([
      [`pending from run ${runId} (copy)`],
    ]);
    expect(existsSync(join(dir, 'restarted'))).toBe(true);
    expect(records(play)).toEqual([]);

    const third = quorum([...args, '-e', 'fail_it=false'], { env });
    expect(third.code).toBe(0);
    expect(handlerEvents(third.stdout)).toEqual([]);
  });

  it("a TypeScript role's handler: left by a role that failed after notifying it, run by the next run", () => {
    const dir = workspace();
    const role = `durable${randomBytes(4).toString('hex')}`;
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  gather_facts: false\n  roles:\n    - { role: ${role}, dir: ${dir}, fail: "{{ fail_it | default(true) | bool }}" }\n`,
      [`roles/${role}/index.ts`]: `import type { RoleDefinition } from 'quorum';
const role: RoleDefinition<{ dir: string; fail: boolean }> = {
  name: '${role}',
  description: 'a config, its restart handler, and a failure after the change',
  params: {
    type: 'object',
    properties: { dir: { type: 'string' }, fail: { type: 'boolean' } },
    required: ['dir', 'fail'],
    additionalProperties: false,
  },
  handlers: {
    async restart(ctx, p) {
      await ctx.shell({ cmd: \`echo restarted >> \${p.dir}/restarts\` }, { name: 'restart' });
    },
  },
  async run(ctx, p) {
    await ctx.copy({ dest: \`\${p.dir}/app.conf\`, content: 'v1\\n' }, { notify: 'restart' });
    if (p.fail) ctx.fail('stopped after the change');
  },
};
export default role;
`,
    });
    const env = { QUORUM_DURABLE_HANDLERS: 'on' };
    const args = [
      'play',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'hosts.ini'),
      '--roles-path',
      join(dir, 'roles'),
      '--json',
    ];
    const first = quorum(args, { env });
    expect(first.code, first.stderr).toBe(2);
    expect(existsSync(join(dir, 'restarts'))).toBe(false);
    expect(records(role)).toHaveLength(1);
    const second = quorum([...args, '-e', 'fail_it=false'], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(handlerEvents(second.stdout).map((e) => [e.handler, e.because])).toEqual([
      [`${role}: restart`, [expect.stringMatching(/^pending from run \S+ \(.*copy.*\)$/)]],
    ]);
    expect(readFileSync(join(dir, 'restarts'), 'utf8')).toBe('restarted\n');
    expect(records(role)).toEqual([]);
    expect(handlerEvents(quorum([...args, '-e', 'fail_it=false'], { env }).stdout)).toEqual([]);
  });
});
