/**
 * check_mode written as a template (linux-system-roles: `check_mode: "{{ __test_check_mode |
 * d(ansible_check_mode) }}"`), rendered before the plan from what the task sees before any host
 * runs and `ansible_check_mode`, a bool as 2.19's post_validate takes it. quorum refused it
 * ("check_mode must be true or false"). Held to ansible-playbook 2.19 on an apply run: the same
 * statuses and files; a check run changes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal, steps, validateCli } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars: { only_read: "yes" }
  tasks:
    - name: a read, in check runs too
      command: "echo read"
      register: r0
      changed_when: false
      check_mode: "{{ __test_check_mode | d(ansible_check_mode) }}"
    - name: made outside check runs
      file: { path: "${out}/made", state: touch }
      check_mode: "{{ ansible_check_mode }}"
    - name: never made, a var says check
      file: { path: "${out}/never", state: touch }
      check_mode: "{{ only_read }}"
    - name: what the read said
      copy: { dest: "${out}/seen", content: "{{ r0.stdout }}" }
`;

describe('check_mode as a template', () => {
  it('is rendered before the run, as 2.19 renders it', async () => {
    const side = await sideBySide(play);
    expect(sameStatuses(side)).toMatchObject({
      'a read, in check runs too': 'ok',
      'made outside check runs': 'changed',
      'never made, a var says check': 'changed',
    });
    for (const out of Object.values(side.out)) {
      expect(existsSync(join(out, 'made'))).toBe(true);
      expect(existsSync(join(out, 'never'))).toBe(false);
    }
    const check = await runLocal(side.dir, { check: true });
    expect(check.code).toBe(0);
    expect(steps(check).filter((s) => s.status === 'changed')).toEqual([]);
  }, 60_000);

  it('refuses one that renders to no boolean, at its place', () => {
    const r = validateCli(
      '- hosts: all\n  vars: { m: maybe }\n  tasks:\n    - ping:\n      check_mode: "{{ m }}"\n',
      'h1 ansible_connection=local\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:5:7: check_mode rendered to "maybe", which is not a boolean/);
  });
});
