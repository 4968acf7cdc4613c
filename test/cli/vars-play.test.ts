/**
 * `quorum vars HOST --playbook P [--role R]` (issue 22): the play's layers (play vars, then each
 * vars_files in order) and, inside a role, its defaults (under the inventory), vars/main and its
 * roles: entry params (over the play), then -e. Held to ansible-core 2.19 on the same files
 * (the ansible-current tool beside the project, a debug task inside the role and one in the play; its output
 * recorded below) and to what quorum's own run of the playbook prints.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const ROLE_VIEW = [
  'v_def',
  'v_only_default',
  'v_inv',
  'v_play',
  'v_both',
  'v_file',
  'v_role',
  'v_param',
  'v_extra',
];
const PLAY_VIEW = ['v_inv', 'v_play', 'v_both', 'v_file', 'v_extra'];
const view = (names: string[]) => `{{ {${names.map((n) => `'${n}': ${n}`).join(', ')}} | to_json }}`;

/** ansible-playbook (ansible-core 2.19) on these files with -e v_extra=extra: */
const ANSIBLE_ROLE = {
  v_def: 'group_all_too',
  v_only_default: 'default',
  v_inv: 'host',
  v_play: 'play',
  v_both: 'file',
  v_file: 'file',
  v_role: 'rolevars',
  v_param: 'param',
  v_extra: 'extra',
};
const ANSIBLE_PLAY = { v_inv: 'host', v_play: 'play', v_both: 'file', v_file: 'file', v_extra: 'extra' };

function site() {
  const dir = workspace();
  writeFiles(dir, {
    'inv.yml': `all:
  vars: { v_inv: group_all, v_def: group_all_too }
  children:
    web:
      hosts:
        h1: { ansible_connection: local, v_inv: host }
`,
    'vf.yml': 'v_file: file\nv_both: file\n',
    'roles/r1/defaults/main.yml': 'v_def: default\nv_only_default: default\nv_inv: default\n',
    'roles/r1/vars/main.yml': 'v_role: rolevars\nv_param: rolevars\n',
    'roles/r1/tasks/main.yml': `- debug:\n    msg: "ROLE ${view(ROLE_VIEW)}"\n`,
    'play.yml': `- name: site
  hosts: web
  gather_facts: false
  vars: { v_play: play, v_both: play, v_role: play, v_param: play, v_extra: play }
  vars_files: [vf.yml]
  roles:
    - role: r1
      v_param: param
  tasks:
    - debug:
        msg: "PLAY ${view(PLAY_VIEW)}"
`,
  });
  return dir;
}

const vars = (dir: string, ...more: string[]) => {
  const r = quorum(['vars', 'h1', '-i', join(dir, 'inv.yml'), '-e', 'v_extra=extra', ...more]);
  return {
    ...r,
    json: r.code === 0 ? (JSON.parse(r.stdout) as Record<string, { value: unknown; source: string }>) : {},
  };
};
const values = (json: Record<string, { value: unknown }>, names: string[]) =>
  Object.fromEntries(names.map((n) => [n, json[n]?.value]));

describe('quorum vars --playbook', () => {
  it("inside a role: Ansible's values, from the layers that gave them, as quorum's run sees them", () => {
    const dir = site();
    const r = vars(dir, '--playbook', join(dir, 'play.yml'), '--role', 'r1', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(values(r.json, ROLE_VIEW)).toEqual(ANSIBLE_ROLE);
    expect(r.json.v_only_default.source).toBe('role r1: defaults');
    expect(r.json.v_inv.source).toBe('inventory: host h1');
    expect(r.json.v_both.source).toBe('play vars_files vf.yml');
    expect(r.json.v_role.source).toBe('role r1: vars/main');
    expect(r.json.v_param.source).toBe('role r1: params (its roles: entry)');
    expect(r.json.v_extra.source).toBe('extra vars (-e)');

    const run = quorum([
      'play',
      join(dir, 'play.yml'),
      '-i',
      join(dir, 'inv.yml'),
      '-e',
      'v_extra=extra',
      '-v',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const printed = (tag: string) =>
      JSON.parse(
        run.stdout
          .split('\n')
          .find((l) => l.trim().startsWith(tag))!
          .trim()
          .slice(tag.length + 1),
      );
    expect(printed('ROLE')).toEqual(values(r.json, ROLE_VIEW));

    const play = vars(dir, '--playbook', join(dir, 'play.yml'), '--json');
    expect(values(play.json, PLAY_VIEW)).toEqual(ANSIBLE_PLAY);
    expect(printed('PLAY')).toEqual(values(play.json, PLAY_VIEW));
    // the role's own layers are not the play's
    expect(play.json.v_only_default).toBeUndefined();
    expect(play.json.v_param.source).toBe('play vars');
  });

  it('says what is wrong: --role without a playbook, a role the play does not list', () => {
    const dir = site();
    expect(vars(dir, '--role', 'r1').stderr).toContain('--role needs --playbook');
    const typo = vars(dir, '--playbook', join(dir, 'play.yml'), '--role', 'r2');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('play "site" has no role r2 under roles:');
    expect(typo.stderr).toContain('did you mean "r1"?');
  });
});
