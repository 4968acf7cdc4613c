/**
 * A task keyword written inside a module's arguments (ansible-lockdown's UBUNTU22-CIS indents
 * `loop:` under lineinfile): 2.19 fails that task with "Unsupported parameters" where it runs
 * and runs the rest. quorum refused the whole playbook; now, under a `when`, validate warns with
 * the place and the task fails where it runs, as in 2.19 (side by side); without one it runs
 * everywhere, so it is refused before any host.
 */
import { describe, expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import { sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const task = (name: string, when: string) => `    - name: ${name}
      lineinfile:
        path: "{{ out }}/conf"
        line: x
        create: true
        loop: [a, b]
${when}`;

const play = (out: string) => `- hosts: all
  gather_facts: false
  vars: { out: "${out}", exim: false }
  tasks:
${task('not reached', '      when: exim')}
${task('reached', '      when: not exim\n      ignore_errors: true')}
    - name: after
      debug: { msg: done }
`;

describe('a task keyword inside the arguments', () => {
  it('under a when, fails only where it runs, as 2.19', async () => {
    const v = validateCli(play('/tmp/x'), 'h1 ansible_connection=local\n');
    expect(v.code, v.stderr).toBe(0);
    expect(v.stderr).toMatch(
      /warning: a task quorum cannot run; a host that reaches it fails there: .*play\.yml:10:9: lineinfile: "loop" is a task keyword written inside the module's arguments/,
    );
    const side = await sideBySide(play);
    expect(sameStatuses(side)).toEqual({ 'not reached': 'skipped', reached: 'failed', after: 'ok' });
    expect(side.oracle.stdout).toContain('Unsupported parameters');
  }, 60_000);

  it('without a when, is refused before any host, at its place', () => {
    const r = validateCli(`- hosts: all\n  tasks:\n${task('always', '')}\n`, 'h1 ansible_connection=local\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:8:9: lineinfile: "loop" is a task keyword written inside/);
  });
});
