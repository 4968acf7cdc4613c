/** `quorum play --list-tags`, byte for byte as ansible-playbook 2.19 prints it. */
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tags: [p]
  roles:
    - role: r1
      tags: [rt]
  tasks:
    - block:
        - debug: msg=b
          tags: [x]
      tags: [blk]
    - debug: msg=always
      tags: [always, never]
  handlers:
    - debug: msg=h
      tags: [handler]
- hosts: h1
  name: second
  tasks:
    - debug: msg=x
`;

describe('--list-tags', () => {
  it("prints each play's tags and its tasks' as ansible-playbook does: imports opened, dynamic includes by their own tags", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
      'site.yml': PLAYBOOK,
      'roles/r1/tasks/main.yml':
        '- debug: msg=r\n  tags: [inner]\n- import_tasks: more.yml\n  tags: [imp]\n- include_tasks: dyn.yml\n  tags: [inc]\n',
      'roles/r1/tasks/more.yml': '- debug: msg=m\n  tags: [m]\n',
      'roles/r1/tasks/dyn.yml': '- debug: msg=d\n  tags: [hidden]\n',
    });
    const theirs = await ansibleCurrent(
      'ansible-playbook',
      ['-i', 'hosts.ini', 'site.yml', '--list-tags'],
      dir,
    );
    const ours = quorum(['play', '-i', 'hosts.ini', 'site.yml', '--list-tags'], { cwd: dir });
    expect(theirs.code, theirs.stderr).toBe(0);
    expect(ours.code, ours.stderr).toBe(0);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout).toContain('TASK TAGS: [always, blk, imp, inc, inner, m, never, p, rt, x]');
  });
});
