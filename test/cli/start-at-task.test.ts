/** `--start-at-task`, held to ansible-playbook 2.19: which tasks run, per play, for each pattern. */
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';
import { ansibleStatuses } from '../helpers/side-by-side.ts';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  roles: [r1]
  tasks:
    - name: one
      debug: { msg: one }
    - name: two
      debug: { msg: two }
- hosts: all
  gather_facts: false
  tasks:
    - name: three
      debug: { msg: three }
`;

function project(): string {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'site.yml': PLAYBOOK,
    'roles/r1/tasks/main.yml':
      '- name: first of r1\n  debug: { msg: r1a }\n- name: second of r1\n  debug: { msg: r1b }\n- include_tasks: dyn.yml\n',
    'roles/r1/tasks/dyn.yml': '- name: dynamic\n  debug: { msg: d }\n',
  });
  return dir;
}

const ran = (stdout: string) => {
  const tasks: string[] = [];
  for (const line of stdout.split('\n').filter(Boolean)) {
    const e = JSON.parse(line);
    if (e.type === 'step') tasks.push(e.task.replace(/^r1 : /, ''));
  }
  return tasks;
};

describe('--start-at-task', () => {
  it.each(['second of r1', 'r1 : second*', 'tw?', 'three'])(
    'starts where ansible-playbook starts: %s',
    async (pattern) => {
      const dir = project();
      const [theirs, ours] = await Promise.all([
        ansibleCurrent('ansible-playbook', ['-i', 'hosts.ini', 'site.yml', '--start-at-task', pattern], dir),
        Promise.resolve(
          quorum(
            ['play', '-i', 'hosts.ini', 'site.yml', '--start-at-task', pattern, '--json', '--no-journal'],
            {
              cwd: dir,
            },
          ),
        ),
      ]);
      expect(theirs.code, theirs.stdout).toBe(0);
      expect(ours.code, ours.stderr).toBe(0);
      const theirTasks = Object.keys(ansibleStatuses(theirs.stdout)).map((t) => t.replace(/^r1 : /, ''));
      expect(ran(ours.stdout)).toEqual(theirTasks);
    },
  );

  it('refuses a name no task has (or only a dynamic include brings) before any host, as Ansible ends', async () => {
    const dir = project();
    const theirs = await ansibleCurrent(
      'ansible-playbook',
      ['-i', 'hosts.ini', 'site.yml', '--start-at-task', 'dynamic'],
      dir,
    );
    expect(theirs.stderr).toContain('No matching task "dynamic" found');
    const ours = quorum(
      ['play', '-i', 'hosts.ini', 'site.yml', '--start-at-task', 'dynamic', '--no-journal'],
      { cwd: dir },
    );
    expect(ours.code).toBe(1);
    expect(ours.stderr).toContain(
      'No matching task "dynamic" found. Note: --start-at-task can only follow static includes.',
    );
    expect(ours.stdout).not.toContain('h1');
  });
});
