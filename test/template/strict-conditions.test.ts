/**
 * Conditions never answer false for what they cannot see: an undefined variable is an error
 * (as Ansible's strict undefined), and Ansible's fact names are defined.
 */
import { describe, expect, it } from 'vitest';
import { evaluateWhen } from '../../src/template/expr.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

describe('undefined in conditions', () => {
  it.each([
    ["missing == 'x'", '"missing" is undefined'],
    ['missing', '"missing" is undefined'],
    ['not missing', '"missing" is undefined'],
    ["'a' in missing", '"missing" is undefined'],
    ['conf.stat.exists', '"conf.stat" is undefined'],
    ['items[3] == 1', '"items[3]" is undefined'],
    ['missing | length > 0', '"missing" is undefined'],
  ])('%s is an error naming it', (expr, message) => {
    expect(() => evaluateWhen(expr, { conf: {}, items: [1] })).toThrow(message);
  });

  it.each([
    ['missing is defined', false],
    ['missing is not defined', true],
    ["missing | default('x') == 'x'", true],
    ['foo.bar | length == 2', true],
    ['conf.stat is defined and conf.stat.exists', false],
  ])('%s is allowed (%s)', (expr, value) => {
    expect(evaluateWhen(expr, { conf: {}, foo: { bar: [1, 2] } }).value).toBe(value);
  });
});

describe("Ansible's fact names", () => {
  it("ansible_facts.os_family and ansible_os_family are this host's; an unknown fact fails the host", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  tasks:
    - name: by ansible_facts
      debug: { msg: "{{ ansible_facts.os_family }} on {{ ansible_facts.architecture }}" }
      when: ansible_facts.os_family == 'Debian'
    - name: by ansible_os_family
      debug: { msg: "{{ ansible_distribution }} {{ ansible_distribution_major_version }}" }
      when: ansible_os_family == 'Debian'
    - name: a fact quorum does not gather
      debug: { msg: x }
      when: ansible_facts.lvm | length > 0
`,
    });
    const run = await runLocal(dir);
    const byTask = Object.fromEntries(steps(run).map((s) => [s.task, s]));
    expect(byTask['by ansible_facts']).toMatchObject({
      status: 'ok',
      message: expect.stringMatching(/^Debian on \w+/),
    });
    expect(byTask['by ansible_os_family']).toMatchObject({ status: 'ok', message: 'Debian 12' });
    expect(run.code).toBe(2);
    const failed = run.events.find((e) => e.type === 'node_end' && e.status === 'failed');
    expect(failed).toMatchObject({ reason: expect.stringContaining('"ansible_facts.lvm" is undefined') });
  });
});
