/**
 * An include_role of a role that is not there (linux-system-roles' postfix and cockpit include
 * fedora.linux_system_roles.selinux inside `block: ... when: postfix_manage_selinux`), or an
 * include_tasks of a file quorum cannot run, under an enclosing block's `when` rather than its
 * own: 2.19 resolves an include when it runs, so it fails only where reached. quorum looked at the
 * include's own `when` only and refused the whole play. Side by side with 2.19: skipped where the
 * block's condition is false, failing the host where it holds.
 */
import { describe, expect, it } from 'vitest';
import { steps, validateCli } from '../helpers/run-local.ts';
import { ansibleStatuses, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (on: boolean) => () =>
  `- hosts: all
  gather_facts: false
  vars: { manage: ${on} }
  tasks:
    - name: guarded by its block
      when: manage | bool
      block:
        - name: a file of a module quorum lacks
          include_tasks: freebsd.yml
          when: never | default(false)
        - name: a role that is not there
          include_role: { name: fedora.linux_system_roles.nosuchrole }
    - name: after
      debug: { msg: done }
`;

const FILES = { 'freebsd.yml': '- community.general.pkgng: { name: curl }\n' };

describe('an include under a block with a when', () => {
  it('fails only where the block runs, as 2.19', async () => {
    const v = validateCli(play(false)(), 'h1 ansible_connection=local\n', FILES);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /warning: an include names a file quorum cannot run; .*no Ansible role "fedora\.linux_system_roles\.nosuchrole"/,
    );
    const off = await sideBySide(play(false), FILES);
    expect(sameStatuses(off)).toMatchObject({ after: 'ok' });
    // reached, it fails the host, as 2.19's include does (its ignore_errors would not catch it there)
    const on = await sideBySide(play(true), FILES);
    expect(on.oracle.code).toBe(2);
    expect(on.run.code).toBe(2);
    // quorum reports the include, then the task standing for what it refused, failing
    expect(ansibleStatuses(on.oracle.stdout)).toEqual({
      'a file of a module quorum lacks': 'skipped',
      'a role that is not there': 'failed',
    });
    expect(steps(on.run).map((s) => [s.task, s.status])).toEqual([
      ['a file of a module quorum lacks', 'skipped'],
      ['a role that is not there', 'ok'],
      ['include of role fedora.linux_system_roles.nosuchrole refused', 'failed'],
    ]);
  }, 60_000);

  it('is refused when nothing guards it', () => {
    const r = validateCli(
      '- hosts: all\n  tasks:\n    - block:\n        - include_role: { name: nosuchrole }\n',
      'h1 ansible_connection=local\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no Ansible role "nosuchrole"/);
  });
});
