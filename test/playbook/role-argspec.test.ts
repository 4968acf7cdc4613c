/**
 * A role's meta/argument_specs.yml is checked in a first task, as ansible-core 2.19 inserts and
 * runs it (robertdebock.logrotate): the same task name, ok where the values fit, failed with
 * the same messages where they do not; a role's params count above variables of the same name.
 */
import { describe, expect, it } from 'vitest';
import { argumentErrors } from '../../src/modules/argument-spec.ts';
import { steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const ROLE = {
  'roles/r1/meta/argument_specs.yml': `argument_specs:
  main:
    short_description: "Checks {{ its }} values"
    options:
      r1_count: { type: int, required: true }
      r1_mode: { type: str, choices: [fast, slow], default: fast }
      r1_flag: { type: bool }
      r1_names: { type: list, elements: str }
      r1_user:
        type: dict
        options:
          name: { type: str, required: true }
`,
  'roles/r1/tasks/main.yml': '- debug: { msg: "count {{ r1_count }}" }\n',
};

const play = (role: string) => () =>
  `- hosts: all\n  gather_facts: false\n  vars: { r1_count: "3", r1_flag: "yes" }\n  roles:\n    - ${role}\n`;

describe('role argument specs, as ansible-core 2.19', () => {
  it('values that fit: the check task is ok and the role runs', async () => {
    const r = await sideBySide(
      play('{ role: r1, r1_mode: slow, r1_names: "a,b", r1_user: { name: x } }'),
      ROLE,
    );
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    const ansible = ansibleStatuses(r.oracle.stdout);
    expect(Object.keys(ansible)[0]).toBe(
      "r1 : Validating arguments against arg spec 'main' - Checks {{ its }} values",
    );
    expect(Object.fromEntries(steps(r.run).map((s) => [s.task, s.status]))).toEqual(ansible);
  });

  it("values that do not fit fail the check task with Ansible's messages, before the role's tasks", async () => {
    const r = await sideBySide(
      play('{ role: r1, r1_count: many, r1_mode: quick, r1_user: { nick: y }, r1_extra: 1 }'),
      ROLE,
    );
    expect(r.oracle.code).not.toBe(0);
    const [check] = steps(r.run);
    expect(check.status).toBe('failed');
    expect(steps(r.run)).toHaveLength(1);
    const theirs = /"msg": "Validation of arguments failed:\\n(.*?)", "validate_args_context"/.exec(
      r.oracle.stdout,
    )?.[1];
    expect(theirs).toBeDefined();
    expect(check.error?.message).toBe(`Validation of arguments failed:\n${JSON.parse(`"${theirs}"`)}`);
    expect(check.error?.message).toContain('missing required arguments: name found in r1_user');
    expect(check.error?.message).toContain('r1_extra, r1_user.nick. Supported parameters include: r1_count,');
  });

  it("a suboption's unknown key alone is named with the suboption's own keys (2.19's message)", () => {
    const spec = { u: { type: 'dict', options: { name: { type: 'str' } } } };
    expect(argumentErrors(spec, { u: { nick: 'y' } })).toEqual([
      'u.nick. Supported parameters include: name.',
    ]);
  });
});
