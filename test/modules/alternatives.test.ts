// ci: changes this machine (its own state, which the lab hosts' root overlays show): never beside the lab
/**
 * community.general.alternatives held to the collection's own module (Debian 13's ansible
 * 12.0.0 under ansible-core 2.19) on this machine's alternatives: a group of its own per side,
 * the same tasks through ansible-playbook and through quorum one after the other, the same
 * status task by task and the same group left behind (`update-alternatives --query`); a check
 * run on the converged group changes nothing. The groups are removed after.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses } from '../helpers/side-by-side.ts';

const groupOf = (side: string) => `quorum_alt_${createHash('sha1').update(side).digest('hex').slice(0, 10)}`;
const made: string[] = [];
afterAll(() => {
  for (const g of made) execFileSync('update-alternatives', ['--remove-all', g], { stdio: 'ignore' });
});

const TASKS: Array<[string, string]> = [
  ['install and select', 'path: /bin/true, link: LINK, priority: 10'],
  ['the same again', 'path: /bin/true, link: LINK, priority: 10'],
  ['a second, present only', 'path: /bin/false, link: LINK, priority: 20, state: present'],
  ['back to auto', 'path: /bin/false, state: auto'],
  ['auto again', 'path: /bin/false, state: auto'],
  ['select the first again', 'path: /bin/true'],
  ['a new priority', 'path: /bin/true, priority: 30, state: present'],
  ['remove the second', 'path: /bin/false, state: absent'],
  ['remove it again', 'path: /bin/false, state: absent'],
  ['a path that is not there', 'path: /nonexistent/quorum, link: LINK'],
];

const play = (group: string) => `
- hosts: all
  gather_facts: false
  tasks:
${TASKS.map(
  ([name, args]) =>
    `    - name: ${name}\n      community.general.alternatives: { name: ${group}, ${args.replace('LINK', `/usr/local/bin/${group}`)} }\n      ignore_errors: ${name === 'a path that is not there'}`,
).join('\n')}
`;

const query = (group: string) =>
  execFileSync('update-alternatives', ['--query', group], { encoding: 'utf8' }).replaceAll(group, 'GROUP');

describe('alternatives, as community.general (ansible-core 2.19)', () => {
  it('changes what the collection changes, task by task, and leaves the same group', async () => {
    const dir = workspace();
    const [mine, theirs] = [groupOf(`${dir}/q`), groupOf(`${dir}/a`)];
    made.push(mine, theirs);
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': play(mine),
      'ansible.yml': play(theirs),
    });
    const run = await runLocal(dir);
    const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml'], dir);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const statuses = Object.fromEntries(steps(run).map((s, i) => [TASKS[i][0], s.status]));
    expect(statuses).toEqual(ansibleStatuses(oracle.stdout));
    expect(statuses).toMatchObject({
      'the same again': 'ok',
      'back to auto': 'changed',
      'remove it again': 'ok',
    });
    expect(query(mine)).toBe(query(theirs));
    // converged: a check run of the last state plans nothing
    writeFiles(dir, {
      'check.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - community.general.alternatives: { name: ${mine}, path: /bin/true, priority: 30 }\n`,
    });
    const check = await runLocal(dir, { check: true, playbook: 'check.yml' });
    expect(steps(check).map((s) => s.status)).toEqual(['ok']);
  });

  it("a group whose name has a dash: its link unread, a reinstall without link fails as the module's does", async () => {
    const dir = workspace();
    const [mine, theirs] = [`${groupOf(`${dir}/q`)}-x`, `${groupOf(`${dir}/a`)}-x`];
    made.push(mine, theirs);
    const twoTasks = (g: string) =>
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: install\n      community.general.alternatives: { name: ${g}, path: /bin/true, link: /usr/local/bin/${g} }\n    - name: new priority\n      community.general.alternatives: { name: ${g}, path: /bin/true, priority: 5 }\n      ignore_errors: true\n`;
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': twoTasks(mine),
      'ansible.yml': twoTasks(theirs),
    });
    const run = await runLocal(dir);
    const oracle = await ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'ansible.yml'], dir);
    const statuses = Object.fromEntries(steps(run).map((s) => [s.task, s.status]));
    expect(statuses).toEqual(ansibleStatuses(oracle.stdout));
    expect(statuses).toEqual({ install: 'changed', 'new priority': 'failed' });
    expect(steps(run)[1].error?.message).toContain('missing the link');
  });
});
