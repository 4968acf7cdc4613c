/**
 * Modules ansible-core runs through an action plugin: a role's own action_plugins/ (which runs
 * commands and a module on the host, moves a file there and honours check mode) and an installed
 * collection's that works on the controller alone (ansible.utils.update_fact). quorum runs them with this
 * machine's ansible-core (2.19's here: PYTHONPATH) over its own connection, side by side with
 * ansible-playbook 2.19: the same statuses and registered values, a second run and a check run.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleCurrentSitePackages } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';
import { changedAgain, resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';
import { cliSideBySide, loopbackHost } from '../helpers/ssh-side-by-side.ts';
import { canRunSshd } from '../helpers/sshd.ts';

beforeAll(() => {
  // the ansible-core whose action plugins and module machinery quorum uses: the oracle's own
  process.env.PYTHONPATH = ansibleCurrentSitePackages();
});

// writes a marker file through the module `copy` would use, after reading the host with a
// command and a module; in check mode it says what it would do and touches nothing
const STAMP_ACTION = `from ansible.plugins.action import ActionBase

class ActionModule(ActionBase):
    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        dest = self._task.args['dest']
        who = self._low_level_execute_command('id -u')['stdout'].strip()
        st = self._execute_module(module_name='ansible.builtin.stat', module_args={'path': dest}, task_vars=task_vars)
        if st['stat']['exists']:
            result.update(changed=False, uid=who, msg='already stamped')
            return result
        if self._task.check_mode:
            result.update(changed=True, uid=who, msg='would stamp')
            return result
        tmp = self._make_tmp_path()
        src = self._transfer_data(self._connection._shell.join_path(tmp, 'stamp'), 'stamped by ' + self._task.args['by'] + '\\n')
        done = self._execute_module(module_name='ansible.builtin.command', module_args={'argv': ['cp', src, dest]}, task_vars=task_vars)
        self._remove_tmp_path(tmp)
        result.update(changed=True, uid=who, rc=done['rc'], msg='stamped')
        return result
`;

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  roles: [stamps]
  tasks:
    - name: a fact updated on the controller
      ansible.utils.update_fact:
        updates:
          - { path: settings.b, value: 3 }
      vars: { settings: { a: 1, b: 2 } }
      register: r1
${resultsTask(`${out}/results.json`, 2, [])}
`;

it('runs them as ansible-playbook 2.19 does, again as it does, and in check mode as the plugin says', async () => {
  const side = await sideBySide(play, {
    'roles/stamps/action_plugins/stamp.py': STAMP_ACTION,
    'roles/stamps/tasks/main.yml': `- name: stamped
  stamp: { dest: "{{ out }}/stamp.txt", by: quorum }
  register: r0
`,
  });
  expect(sameStatuses(side)).toMatchObject({
    'stamps : stamped': 'changed',
    'a fact updated on the controller': 'changed',
  });
  const results = sameResults(side.out);
  expect(results[0]).toMatchObject({ changed: true, msg: 'stamped', uid: '0', rc: 0 });
  expect(results[1]).toMatchObject({ changed: true, settings: { a: 1, b: 3 } });
  // the role's stamp changes nothing once written; update_fact reports its change every run, as in Ansible
  expect(await changedAgain(side.dir)).toEqual(['a fact updated on the controller']);
  const check = await runLocal(side.dir, { check: true });
  const byTask = Object.fromEntries(steps(check).map((s) => [s.task, s.status]));
  expect(byTask['stamps : stamped']).toBe('ok');
  // on a host without the stamp, a check run is the plugin's own check mode: it would, and does not
  rmSync(join(side.out.quorum, 'stamp.txt'));
  const fresh = await runLocal(side.dir, { check: true });
  expect(steps(fresh).find((s) => s.task === 'stamps : stamped')?.status).toBe('would_change');
  expect(existsSync(join(side.out.quorum, 'stamp.txt'))).toBe(false);
}, 240_000);

it('refuses async on such a task, with its place, before any host', () => {
  const r = validateCli(
    '- hosts: all\n  tasks:\n    - ansible.utils.update_fact: { updates: [{ path: a.b, value: 1 }] }\n      async: 30\n',
  );
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/play\.yml:4:\d+: async is not supported on ansible\.utils\.update_fact/);
});

describe.skipIf(!canRunSshd)('over SSH', () => {
  const dir = workspace();
  const host = loopbackHost(dir, 'action');

  it("runs a role's action plugin on a host reached over a real sshd as ansible-playbook does, then changes nothing", async () => {
    const [q, a] = ['q', 'a'].map((side) => {
      const d = join(dir, side);
      writeFiles(d, {
        'hosts.ini': host.inventory(),
        'play.yml': `- hosts: all\n  gather_facts: false\n  roles: [stamps]\n`,
        'roles/stamps/action_plugins/stamp.py': STAMP_ACTION,
        'roles/stamps/tasks/main.yml': `- name: stamped\n  stamp: { dest: "${d}/stamp.txt", by: ssh }\n`,
      });
      return d;
    });
    const first = await cliSideBySide(q, a);
    expect(first.theirs.code, first.theirs.stdout).toBe(0);
    expect(first.mine.code, first.mine.stderr).toBe(0);
    expect(first.statuses).toEqual({ 'stamps : stamped': 'changed' });
    expect(first.ansible).toEqual(first.statuses);
    expect(readFileSync(join(q, 'stamp.txt'), 'utf8')).toBe(readFileSync(join(a, 'stamp.txt'), 'utf8'));
    const again = await cliSideBySide(q, a);
    expect(again.statuses).toEqual({ 'stamps : stamped': 'ok' });
    expect(again.ansible).toEqual(again.statuses);
  }, 180_000);
});
