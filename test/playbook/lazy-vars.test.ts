/**
 * Play vars and vars_files are evaluated when used, as Ansible does: a variable whose template
 * holds what quorum lacks is no error while nothing names it (a warning says so), and is
 * refused at its own place before any host once a task, another variable or a template does.
 */
import { describe, expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

const UNUSED = `"{{ '192.0.2.1/24' | ipaddr('address') }}"`;

function validate({ 'play.yml': play, ...files }: Record<string, string>) {
  return validateCli(play, undefined, files);
}

describe('variables evaluated when used', () => {
  it('one nothing uses does not stop the play, in quorum as in ansible-core 2.19', async () => {
    const play = (out: string) =>
      `- hosts: all\n  gather_facts: false\n  vars:\n    secret_hash: ${UNUSED}\n  tasks:\n    - copy: { dest: ${out}/ran, content: ran }\n`;
    const { run, oracle } = await sideBySide(play);
    expect(oracle.code, oracle.stdout).toBe(0);
    expect(run.code).toBe(0);
    const v = validate({ 'play.yml': play('/tmp') });
    expect(v.code).toBe(0);
    expect(v.stderr).toMatch(/^warning: .*play\.yml:4:5: variable "secret_hash" is used by nothing/m);
  }, 60_000);

  it.each([
    ['a task', '  tasks:\n    - debug: { msg: "{{ secret_hash }}" }\n', {}],
    [
      'another variable a task uses',
      '    line: "hash={{ secret_hash }}"\n  tasks:\n    - debug: { var: line }\n',
      {},
    ],
    [
      'a template file',
      '  tasks:\n    - template: { src: conf.j2, dest: /tmp/conf }\n',
      { 'templates/conf.j2': 'hash={{ secret_hash }}\n' },
    ],
  ])('one %s names is refused at its own place', (_name, rest, files) => {
    const r = validate({
      'play.yml': `- hosts: all\n  vars:\n    secret_hash: ${UNUSED}\n${rest}`,
      ...files,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*play\.yml:3:5: no filter named "ipaddr"/m);
  });

  it('a vars file is evaluated the same way', () => {
    const files = { 'vars.yml': `secret_hash: ${UNUSED}\nport: 80\n` };
    const head = '- hosts: all\n  vars_files: [vars.yml]\n  tasks:\n';
    expect(validate({ ...files, 'play.yml': `${head}    - debug: { msg: "{{ port }}" }\n` }).code).toBe(0);
    const used = validate({ ...files, 'play.yml': `${head}    - debug: { msg: "{{ secret_hash }}" }\n` });
    expect(used.code).toBe(1);
    expect(used.stderr).toMatch(/^error: .*vars\.yml:1:1: no filter named "ipaddr"/m);
  });
});
