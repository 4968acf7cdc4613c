/**
 * vars_files as ansible-core 2.19 reads them, side by side: a name with a template (the host's
 * facts and variables), a list of names of which the first that exists is read, a name found
 * under the play's vars/ folder, a list none of whose files exists (nothing, no error), and a
 * name using an undefined variable (skipped). A plain name that does not exist is refused with
 * its place, where 2.19 skips it without a word.
 */
import { describe, expect, it } from 'vitest';
import { validateCli } from '../helpers/run-local.ts';
import { resultsTask, sameResults, sameStatuses, sideBySide } from '../helpers/side-by-side.ts';

const FILES = {
  'vars/Debian.yml': 'os_var: debian\nshared: from os file\n',
  'vars/default.yml': 'os_var: default\nfallback: yes-default\n',
  'vars/common.yml': 'common: in vars folder\nshared: from common\n',
  'site.yml': 'site: beside the play\n',
};

const play = (d: string) => `
- hosts: all
  vars:
    flavour: site
  vars_files:
    - common.yml
    - "vars/{{ ansible_os_family }}.yml"
    - ["vars/{{ ansible_distribution }}-nope.yml", "vars/default.yml"]
    - ["nope1.yml", "nope2.yml"]
    - "{{ flavour }}.yml"
  tasks:
    - name: values
      debug: { msg: "{{ [common, os_var, shared, fallback, site] }}" }
      register: r0
${resultsTask(`${d}/results.json`, 1, [])}
`;

describe('vars_files, as ansible-core 2.19', () => {
  it('reads templated names and lists per host, as 2.19 does', async () => {
    const sides = await sideBySide(play, FILES);
    sameStatuses(sides);
    const [r] = sameResults(sides.out);
    expect(r.msg).toEqual(['in vars folder', 'default', 'from os file', 'yes-default', 'beside the play']);
  });

  it('a name using an undefined variable: skipped before facts are gathered, the host fails after', async () => {
    const two = () => `
- hosts: all
  gather_facts: false
  vars_files: ["{{ undefined_name }}.yml", common.yml]
  tasks:
    - name: without facts
      debug: { msg: "{{ common }}" }
- hosts: all
  vars_files: ["{{ undefined_name }}.yml"]
  tasks:
    - name: with facts
      debug: { msg: x }
`;
    const sides = await sideBySide(two, FILES);
    expect(`${sides.oracle.stdout}${sides.oracle.stderr}`).toContain(
      'skipping vars_files item due to an undefined variable',
    );
    expect(sides.oracle.stdout).toMatch(/"msg": "in vars folder"/);
    expect(sides.oracle.stdout).not.toContain('TASK [with facts]');
    const steps = sides.run.events.flatMap((e) => (e.type === 'step' ? [[e.task, e.status, e.message]] : []));
    expect(steps[0]).toEqual(['without facts', 'ok', 'in vars folder']);
    expect(steps[1]).toEqual(['with facts', 'failed', undefined]);
    expect(JSON.stringify(sides.run.events)).toContain(
      "an undefined variable was found when attempting to template the vars_files item '{{ undefined_name }}.yml'",
    );
    expect([sides.run.code, sides.oracle.code]).toEqual([2, 1]);
  });

  it('refuses a plain name that does not exist, with its place', () => {
    const r = validateCli(
      '- hosts: all\n  vars_files: [nothere.yml]\n  tasks:\n    - debug: { msg: x }\n',
      'h1 ansible_connection=local\n',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:2:\d+: vars file nothere\.yml was not found/);
  });
});
