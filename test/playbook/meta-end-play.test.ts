/**
 * meta: end_play and end_batch as ansible-core 2.19 runs them (linear strategy: once per batch,
 * decided by its first host; true, the play or the batch ends for all of its hosts and their
 * notified handlers do not run), held to ansible-playbook on the same plays: which debug
 * message each host printed.
 */
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const HOSTS =
  'h1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\nh2 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n';

const play =
  (meta: string, when: string, serial = '') =>
  () =>
    `
- hosts: all
  gather_facts: false
${serial}  tasks:
    - command: "true"
      notify: hh
    - debug: { msg: "before {{ inventory_hostname }}" }
    - meta: ${meta}
      when: ${when}
    - debug: { msg: "after {{ inventory_hostname }}" }
  handlers:
    - name: hh
      debug: { msg: "handler {{ inventory_hostname }}" }
- hosts: all
  gather_facts: false
  tasks:
    - debug: { msg: "next play {{ inventory_hostname }}" }
`;

async function printed(text: () => string) {
  const r = await sideBySide(text, { 'hosts.ini': HOSTS });
  expect(r.oracle.code, r.oracle.stdout).toBe(0);
  expect(r.run.code).toBe(0);
  const ansible = [...r.oracle.stdout.matchAll(/ok: \[(h\d)\] => \{\s*"msg": "([^"]*)"/g)].map((m) => m[2]);
  const quorum = steps(r.run)
    .filter((s) => s.module === 'debug' && s.status === 'ok')
    .map((s) => String(s.message));
  return { ansible: ansible.sort(), quorum: quorum.sort() };
}

describe('meta: end_play and end_batch, as ansible-playbook 2.19', () => {
  it('the first host says end: the play ends for both, no handler, the next play runs', async () => {
    const r = await printed(play('end_play', "inventory_hostname == 'h1'"));
    expect(r.quorum).toEqual(r.ansible);
    expect(r.quorum).toEqual(['before h1', 'before h2', 'next play h1', 'next play h2']);
  });

  it("another host's condition is not asked: the play goes on", async () => {
    const r = await printed(play('end_play', "inventory_hostname == 'h2'"));
    expect(r.quorum).toEqual(r.ansible);
    expect(r.quorum).toContain('after h2');
  });

  it('end_batch with serial: 1 ends the first batch only', async () => {
    const r = await printed(play('end_batch', "inventory_hostname == 'h1'", '  serial: 1\n'));
    expect(r.quorum).toEqual(r.ansible);
    expect(r.quorum).toEqual([
      'after h2',
      'before h1',
      'before h2',
      'handler h2',
      'next play h1',
      'next play h2',
    ]);
  });
});
