/**
 * `!unsafe` (issue 25, item 2): a value so marked in play vars, a vars file or the inventory is
 * never templated: printed and written as it is, as ansible-core 2.14 prints it here (its
 * output for this very playbook, recorded below). It used to run the lookup, print 42, fail
 * copy with a type error, and refuse `{% raw %}` as a syntax error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

/** What each debug step printed, from the JSON event stream. */
const debugMessages = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((e) => e.type === 'step' && e.module === 'debug')
    .map((e) => e.message);

describe('!unsafe values', () => {
  it('from play vars, a vars file and the inventory: printed and written literally, never evaluated', () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'inv.yml'),
      'all:\n  hosts:\n    h1: { ansible_connection: local }\n  vars:\n    frominv: !unsafe "{{ 6 * 7 }}"\n',
    );
    writeFileSync(join(dir, 'vf.yml'), 'fromfile: !unsafe "{{ 6 * 7 }}"\n');
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all
  gather_facts: false
  vars_files: [vf.yml]
  vars:
    raw: !unsafe "{{ lookup('env','HOME') }}"
    raw2: !unsafe "{% raw %}a{{b}}"
  tasks:
    - debug: msg="{{ raw }}"
    - debug: msg="{{ raw2 }}"
    - debug: msg="{{ fromfile }}"
    - debug: msg="x {{ frominv }} y"
    - debug:
        msg: !unsafe "{{ 6 * 7 }} literal"
    - copy: { content: "{{ frominv }}", dest: ${dir}/out.txt }
`,
    );
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const messages = debugMessages(r.stdout);
    // ansible-playbook 2.14 on the same files: these five "msg" values, the file "{{ 6 * 7 }}"
    expect(messages).toEqual([
      "{{ lookup('env','HOME') }}",
      '{% raw %}a{{b}}',
      '{{ 6 * 7 }}',
      'x {{ 6 * 7 }} y',
      '{{ 6 * 7 }} literal',
    ]);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('{{ 6 * 7 }}');
    expect(quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]).code).toBe(0);
  });

  it('what a task registers is data: command output holding {{ }} is printed and written as it is', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { ansible_connection: local }\n');
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all
  gather_facts: false
  tasks:
    - command: !unsafe "echo {{ 6 * 7 }}"
      register: r
    - debug: msg="{{ r.stdout }}"
    - debug: msg="got {{ r.stdout }} and {{ r.stdout_lines | length }}"
    - debug: msg="{{ r.stdout | upper }}"
    - copy: { content: "{{ r.stdout }}", dest: ${dir}/reg.txt }
`,
    );
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const messages = debugMessages(r.stdout);
    // ansible-playbook 2.14 on the same playbook prints exactly these
    expect(messages).toEqual(['{{ 6 * 7 }}', 'got {{ 6 * 7 }} and 1', '{{ 6 * 7 }}']);
    expect(readFileSync(join(dir, 'reg.txt'), 'utf8')).toBe('{{ 6 * 7 }}');
  });

  it('set_fact of an unsafe or registered value keeps it text; its templates still render (ansible-core 2.19)', () => {
    const dir = workspace();
    writeFileSync(join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1: { ansible_connection: local }\n');
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all
  gather_facts: false
  vars:
    raw: !unsafe "{{ 6 * 7 }}"
  tasks:
    - set_fact: { y: "{{ raw }}", z: "pre-{{ raw }}" }
    - debug: msg="{{ y }}|{{ z }}"
    - command: !unsafe echo '{{ 6 * 9 }}'
      register: r2
    - set_fact: { w: "{{ r2.stdout }}" }
    - debug: msg="{{ w }}"
    - set_fact: { base: "http://x" }
    - set_fact: { cfg: { url: "{{ base }}/y", n: "{{ 1 + 1 }}" } }
    - debug: msg="{{ cfg.url }} {{ cfg.n }}"
`,
    );
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    // ansible-core 2.19 (the ansible-current tool beside the project) on this playbook prints exactly these;
    // quorum printed 42|pre-42 and 54 before
    expect(debugMessages(r.stdout)).toEqual(['{{ 6 * 7 }}|pre-{{ 6 * 7 }}', '{{ 6 * 9 }}', 'http://x/y 2']);
  });
});
