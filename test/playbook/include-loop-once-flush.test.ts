/**
 * run_once inside a looped include_tasks, as ansible-core 2.19 runs it: the hosts that include
 * the same item run its tasks together, and a run_once task once, on the first of them; each of
 * them gets its registered value. Hosts with other items make other groups (kubespray's
 * download role loops over its downloads this way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../helpers/run-local.ts';
import { bothSucceeded, sideBySide } from '../helpers/side-by-side.ts';

const play = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  tasks:
    - name: each item
      include_tasks: once.yml
      loop: "{{ ['a', 'b'] + ([] if inventory_hostname == 'h1' else ['c']) }}"
`;

const ONCE = `
- name: once per item
  shell: echo {{ inventory_hostname }} {{ item }} >> {{ out }}/ran
  run_once: true
  register: r
- name: skipped once
  debug: { msg: never }
  run_once: true
  when: item == 'none'
  register: s
- name: what each host got
  shell: echo '{{ item }} {{ r.cmd | regex_replace(out, 'OUT') }} {{ s.skipped }}' >> {{ out }}/got-{{ inventory_hostname }}
`;

describe('run_once in a looped include, as ansible-core 2.19', () => {
  it('runs once per item, on the first host that includes it; the others get its result', async () => {
    const hosts = 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n';
    const { out, run, oracle } = await sideBySide(play, { 'hosts.ini': hosts, 'once.yml': ONCE });
    bothSucceeded({ run, oracle });
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8').replaceAll(d, 'OUT');
    expect(read(out.quorum, 'ran')).toBe(read(out.ansible, 'ran'));
    expect(read(out.quorum, 'ran')).toBe('h1 a\nh1 b\nh2 c\n');
    for (const h of ['h1', 'h2', 'h3'])
      expect(read(out.quorum, `got-${h}`), h).toBe(read(out.ansible, `got-${h}`));
    expect(read(out.quorum, 'got-h3')).toBe(
      'a echo h1 a >> OUT/ran True\nb echo h1 b >> OUT/ran True\nc echo h2 c >> OUT/ran True\n',
    );
    // the run_once step is reported once per item, for the host that ran it
    const once = steps(run).filter((s) => s.task === 'once per item' && s.status === 'changed');
    expect(once.map((s) => s.host)).toEqual(['h1', 'h1', 'h2']);
  }, 60_000);
});

const flushPlay = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  tasks:
    - name: each item
      include_tasks: flush.yml
      loop: [a, b]
    - name: after the loop
      shell: echo after >> {{ out }}/log-{{ inventory_hostname }}
  handlers:
    - name: restart
      shell: echo handler {{ item | default('none') }} >> {{ out }}/log-{{ inventory_hostname }}
`;

const FLUSH = `
- name: change
  shell: echo change {{ item }} >> {{ out }}/log-{{ inventory_hostname }}
  notify: restart
- meta: flush_handlers
- name: after the flush
  shell: echo flushed {{ item }} >> {{ out }}/log-{{ inventory_hostname }}
`;

describe('meta: flush_handlers in a looped include, as ansible-core 2.19', () => {
  it('runs the handlers notified so far at its place, once per item', async () => {
    const hosts = 'h1 ansible_connection=local\nh2 ansible_connection=local\n';
    const { out, run, oracle } = await sideBySide(flushPlay, { 'hosts.ini': hosts, 'flush.yml': FLUSH });
    bothSucceeded({ run, oracle });
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    for (const h of ['h1', 'h2']) expect(read(out.quorum, `log-${h}`), h).toBe(read(out.ansible, `log-${h}`));
    expect(read(out.quorum, 'log-h2')).toBe(
      'change a\nhandler none\nflushed a\nchange b\nhandler none\nflushed b\nafter\n',
    );
  }, 60_000);
});

const onceIncludePlay = (out: string) => `
- hosts: all
  gather_facts: false
  vars: { out: ${out} }
  tasks:
    - name: once
      include_tasks: inc.yml
      run_once: true
    - name: once, looped
      include_tasks: inc.yml
      run_once: true
      loop: [a, b]
    - name: on each host
      include_tasks: inc.yml
      vars: { item: each }
`;

describe('run_once on an include, as ansible-core 2.19', () => {
  it('includes the file on the first host only (kubespray includes its cacert writer so)', async () => {
    const hosts = 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n';
    const inc =
      '- name: included\n  shell: echo {{ inventory_hostname }} {{ item | default("-") }} >> {{ out }}/ran\n';
    const { out, run, oracle } = await sideBySide(onceIncludePlay, { 'hosts.ini': hosts, 'inc.yml': inc });
    bothSucceeded({ run, oracle });
    const lines = (d: string) => readFileSync(join(d, 'ran'), 'utf8').trim().split('\n').sort();
    expect(lines(out.quorum)).toEqual(lines(out.ansible));
    expect(lines(out.quorum)).toEqual(['h1 -', 'h1 a', 'h1 b', 'h1 each', 'h2 each', 'h3 each']);
  }, 60_000);
});
