/**
 * Facts are gathered (~25 processes on the host) for a task that can name them: through its
 * own fields, its template file or the variables those name, not because it is a Jinja2
 * template or an Ansible role's task. Observed on the commands each host was sent.
 */
import { describe, expect, it } from 'vitest';
import { FACTS_SCRIPT } from '../../src/facts/gather.ts';
import { runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

async function run(play: string, files: Record<string, string> = {}) {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': 'h1 ansible_connection=local\n', 'play.yml': play, ...files });
  const r = await runLocal(dir);
  const gathered = r.transports.get('h1')!.calls.some((c) => c.command === FACTS_SCRIPT);
  return { ...r, gathered };
}

describe('facts gathered for the tasks that can reach them', () => {
  it('a Jinja2 template of plain variables, a play var of text: none gathered', async () => {
    const dir = workspace();
    const r = await run(
      `- hosts: all\n  vars:\n    root: "${dir}/{{ inventory_hostname }}"\n  tasks:\n    - file: { path: "{{ root }}", state: directory }\n    - template: { src: node.conf.j2, dest: "{{ root }}/node.conf" }\n`,
      {
        'hosts.ini': 'h1 ansible_connection=local ansible_host=127.0.0.1\n',
        'templates/node.conf.j2': 'name = {{ inventory_hostname }}\nhost = {{ ansible_host }}\n',
      },
    );
    expect(r.code).toBe(0);
    expect(r.gathered).toBe(false);
  });

  it.each([
    ['in the template file', 'node.conf.j2', 'os = {{ ansible_distribution }}\n', '{{ root }}'],
    ['through a variable the template names', 'node.conf.j2', 'at = {{ where }}\n', '{{ root }}'],
  ])('named %s: gathered', async (_what, src, text, root) => {
    const dir = workspace();
    const r = await run(
      `- hosts: all\n  vars:\n    where: "{{ ansible_hostname }}"\n    root: "${dir}"\n  tasks:\n    - template: { src: ${src}, dest: "${root}/node.conf" }\n`,
      { [`templates/${src}`]: text },
    );
    expect(r.code, JSON.stringify(steps(r))).toBe(0);
    expect(r.gathered).toBe(true);
  });

  // Ansible gathers facts at the play's start: a play var made from them is there when used
  it('a play var made from a fact, used in a task: the fact is there', async () => {
    const r = await run(
      '- hosts: all\n  vars:\n    label: "node {{ ansible_hostname }}"\n  tasks:\n    - debug: { msg: "{{ label }}" }\n',
    );
    expect(r.code).toBe(0);
    expect(r.gathered).toBe(true);
    expect(steps(r)[0].message).toMatch(/^node \S+$/);
  });
});
