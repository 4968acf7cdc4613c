/**
 * delegate_to and delegate_facts given `omit` or a template, as ansible-core 2.19 takes them
 * (community.sops' install role: `delegate_to: '{{ "localhost" if on_localhost else omit }}'`
 * with `delegate_facts: '{{ true if on_localhost else omit }}'`): `omit` is the keyword not
 * written (the task runs on its host, its facts its own); quorum refused the templated
 * delegate_facts, and took the omit placeholder for a host's name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bothSucceeded, seenTask, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: h1
  gather_facts: false
  vars: { there: false }
  tasks:
    - name: omitted
      set_fact: { a_done: true }
      delegate_to: '{{ "h2" if there else omit }}'
      delegate_facts: '{{ true if there else omit }}'
    - name: delegated, facts to the delegate
      set_fact: { b_done: true }
      delegate_to: '{{ "h2" if not there else omit }}'
      delegate_facts: '{{ true if not there else omit }}'${seenTask(
        out,
        'facts',
        "[a_done | d('none'), hostvars['h2'].a_done | d('none'), b_done | d('none'), hostvars['h2'].b_done | d('none')]",
      )}
`;

it('omit on delegate_to and delegate_facts is the keyword not written; a template is rendered per host', async () => {
  const { out, run, oracle } = await sideBySide(play, {
    'hosts.ini': 'h1 ansible_connection=local\nh2 ansible_connection=local\n',
  });
  bothSucceeded({ run, oracle });
  const read = (d: string) => readFileSync(join(d, 'facts'), 'utf8');
  expect(read(out.quorum)).toBe(read(out.ansible));
  expect(JSON.parse(read(out.quorum))).toEqual([true, 'none', 'none', true]);
}, 60_000);
