/** JSON schemas of a playbook's plays (tasks are checked by tasks.ts against the module registry). */
import { LOOP_KEYWORDS } from './loops.ts';

const stringList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const condition = {
  anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'array', items: { type: ['string', 'boolean'] } }],
};
const taskList = { type: 'array', items: { type: 'object' } };

export const TASK_KEYWORDS = [
  'name',
  'when',
  'loop',
  ...LOOP_KEYWORDS.filter((k) => k !== 'loop'),
  'loop_control',
  'any_errors_fatal',
  'register',
  'notify',
  'tags',
  'become',
  'become_user',
  'become_method',
  'ignore_errors',
  'changed_when',
  'failed_when',
  'vars',
  'listen',
  'no_log',
  'check_mode',
  'diff',
  'args',
  'throttle',
  'run_once',
  'delegate_to',
  'delegate_facts',
  'connection',
  'environment',
  'until',
  'retries',
  'delay',
  'async',
  'poll',
  'timeout',
  'ignore_unreachable',
  'module_defaults',
  'remote_user',
  'port',
  'become_flags',
  'become_exe',
] as const;

export const roleRefSchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      properties: {
        role: { type: 'string', minLength: 1 },
        // the role's name when `role:` is not given (RoleDefinition reads either)
        name: { type: 'string', minLength: 1 },
        tags: stringList,
        when: condition,
        throttle: { type: 'integer', minimum: 1 },
      },
      anyOf: [{ required: ['role'] }, { required: ['name'] }],
    },
  ],
};

/** Play keywords that may be templates, rendered before the plan (src/plan/play-keywords.ts). */
export const TEMPLATED_PLAY_KEYWORDS = ['serial', 'max_fail_percentage', 'gather_facts', 'become'];
/** A keyword written as a template. */
const template = { type: 'string', pattern: '\\{\\{' } as const;

export const playSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    hosts: {
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string' }, minItems: 1 },
      ],
    },
    vars: { type: 'object' },
    // a list inside: the first of its files that exists (read per host, as a templated name is)
    vars_files: {
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    },
    roles: { type: 'array', items: roleRefSchema },
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    handlers: taskList,
    serial: {
      anyOf: [
        { type: 'integer', minimum: 1 },
        { type: 'string', pattern: '^\\d+%?$' },
        template,
        {
          type: 'array',
          items: {
            anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^\\d+%?$' }, template],
          },
          minItems: 1,
        },
      ],
    },
    max_fail_percentage: { anyOf: [{ type: 'number', minimum: 0, maximum: 100 }, template] },
    any_errors_fatal: { anyOf: [{ type: 'boolean' }, template] },
    become: { anyOf: [{ type: 'boolean' }, template] },
    become_user: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$|\\{\\{' },
    become_method: { enum: ['sudo', 'su'] },
    become_flags: { type: 'string' },
    become_exe: { type: 'string' },
    environment: { anyOf: [{ type: 'object' }, { type: 'string' }] },
    tags: stringList,
    gather_facts: { anyOf: [{ type: 'boolean' }, template] },
    // passed down to the play's tasks that do not set them (list-scope.ts PASSED_DOWN)
    no_log: { type: 'boolean' },
    check_mode: { type: 'boolean' },
    diff: { type: 'boolean' },
    ignore_errors: { type: 'boolean' },
    ignore_unreachable: { type: 'boolean' },
    throttle: { type: 'integer', minimum: 0 },
    timeout: { anyOf: [{ type: 'integer', minimum: 0 }, template] },
    run_once: { type: 'boolean' },
    // gather_subset and gather_timeout are accepted: quorum gathers every fact, in one probe
    gather_subset: stringList,
    gather_timeout: { type: 'integer', minimum: 0 },
    fact_path: { type: 'string' },
    force_handlers: { type: 'boolean' },
    order: { enum: ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] },
    // the interactive debugger has no place in an unattended run: only `never` is taken
    debugger: { enum: ['never'] },
    barrier: { type: 'boolean' },
    // a name, or a template rendered per host (with its inventory vars, the play's vars and -e)
    remote_user: { type: 'string', pattern: '^([A-Za-z_][A-Za-z0-9_.-]*|.*\\{\\{.*)$' },
    // ssh (and its Ansible aliases), or local: the play's tasks run on this machine
    connection: { enum: ['ssh', 'smart', 'paramiko', 'local'] },
    // quorum runs each host's steps as soon as what they wait for is done: no lockstep to choose
    strategy: { enum: ['linear', 'free'] },
    // short module names resolve to quorum's modules whatever collections a play lists
    collections: stringList,
    module_defaults: { type: 'object' },
    vars_prompt: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
          prompt: { type: 'string' },
          default: { type: ['string', 'number', 'boolean'] },
          private: { type: 'boolean' },
          confirm: { type: 'boolean' },
          unsafe: { type: 'boolean' },
        },
        required: ['name'],
        additionalProperties: false,
      },
    },
  },
  required: ['hosts'],
  additionalProperties: false,
} as const;

export const playbookSchema = { type: 'array', items: playSchema, minItems: 1 } as const;
