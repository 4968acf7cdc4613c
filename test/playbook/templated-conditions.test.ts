/**
 * Conditions that name a variable whose value is a template (`gui: "{{ st.stat.exists |
 * default(false) }}"` in ansible-lockdown's role defaults), as ansible-core 2.19 has them: the
 * condition sees what the template renders to, a boolean here, not its text. quorum's fast path
 * for bare names once read the text and refused a boolean-less condition.
 */
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const DEFAULTS = `
gui: "{{ st.stat.exists | default(false) }}"
absent: "{{ st.stat.nothing_here }}"
named: "{{ 'x' if st.stat.exists else 'y' }}"
nested: "{{ {'enabled': st.stat.exists} }}"
deep:
  enabled: "{{ not st.stat.exists }}"
`;

const TASKS = `
- name: look
  stat: { path: /etc/hostname }
  register: st
${[
  ['bare', 'gui'],
  ['not', 'not gui'],
  ['defined', 'gui is defined'],
  ['undefined inside', 'absent is defined'],
  ['undefined inside, defaulted', "\"(absent | default('z')) == 'z'\""],
  ['compared', "named == 'x'"],
  ['into a templated dict', 'nested.enabled'],
  ['a templated leaf', 'deep.enabled'],
]
  .map(([name, when]) => `- name: ${name}\n  debug: { msg: "${name}" }\n  when: ${when}`)
  .join('\n')}
`;

describe('conditions on variables whose values are templates, as ansible-core 2.19', () => {
  it('see the rendered value, from role defaults as from play vars', async () => {
    const play = () => `
- hosts: all
  gather_facts: false
  roles: [templated]
`;
    const { run, oracle } = await sideBySide(play, {
      'roles/templated/defaults/main.yml': DEFAULTS,
      'roles/templated/tasks/main.yml': TASKS,
    });
    expect([oracle.code, run.code], oracle.stdout).toEqual([0, 0]);
    const mine = Object.fromEntries(steps(run).map((s) => [s.task.replace(/^templated : /, ''), s.status]));
    const theirs = Object.fromEntries(
      Object.entries(ansibleStatuses(oracle.stdout)).map(([t, s]) => [t.replace(/^templated : /, ''), s]),
    );
    expect(mine).toEqual(theirs);
    expect(mine).toEqual({
      look: 'ok',
      bare: 'ok',
      not: 'skipped',
      defined: 'ok',
      'undefined inside': 'skipped',
      'undefined inside, defaulted': 'ok',
      compared: 'ok',
      'into a templated dict': 'ok',
      'a templated leaf': 'skipped',
    });
  }, 120_000);
});
