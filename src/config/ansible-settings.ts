/**
 * The settings of ansible.cfg and ANSIBLE_* that quorum reads, each with where ansible-core 2.19
 * takes it from (lib/ansible/config/base.yml and the ssh connection plugin's options: its ini
 * entries, in order, the last one set winning; its environment variables; its type and
 * default), and what quorum does with it: `applied` (honoured as Ansible does), or `unless`
 * (quorum runs as Ansible only at these values; any other is refused before a host is touched).
 * Every other setting 2.19 knows changes only Ansible's own output, speed or tools
 * (KNOWN_ELSEWHERE in ansible-known-settings.ts): accepted, no effect.
 */

export type SettingType = 'boolean' | 'integer' | 'string' | 'list' | 'path' | 'pathlist' | 'pathspec';

export interface SettingSpec {
  ini: Array<[section: string, key: string]>;
  env: string[];
  type: SettingType;
  default: unknown;
  /** Where quorum honours it (README, "ansible.cfg"); absent: see `unless`. */
  applied?: string;
  /** The values at which quorum behaves as Ansible; any other is refused with `why`. */
  unless?: (value: unknown) => boolean;
  why?: string;
  /** Taken, but quorum does not do what it asks: a warning says so. */
  warnUnless?: (value: unknown) => boolean;
}

const ANSIBLE_HOME = '~/.ansible';
const is = (expected: unknown) => (v: unknown) => JSON.stringify(v) === JSON.stringify(expected);
const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
const pluginPath = (kind: string, env: string, key: string): SettingSpec => ({
  ini: [['defaults', key]],
  env: [env],
  type: 'pathspec',
  default: `${ANSIBLE_HOME}/plugins/${kind}:/usr/share/ansible/plugins/${kind}`,
  warnUnless: () => false,
  why: `quorum loads no Python plugins: a ${kind} named there that quorum lacks is refused where it is used`,
});

export const SETTINGS = {
  ANSIBLE_HOME: {
    ini: [['defaults', 'home']],
    env: ['ANSIBLE_HOME'],
    type: 'path',
    default: ANSIBLE_HOME,
    applied: 'the default roles and collections paths',
  },
  DEFAULT_HOST_LIST: {
    ini: [['defaults', 'inventory']],
    env: ['ANSIBLE_INVENTORY'],
    type: 'pathlist',
    default: ['/etc/ansible/hosts'],
    applied: 'the inventory when no -i is given',
  },
  DEFAULT_ROLES_PATH: {
    ini: [['defaults', 'roles_path']],
    env: ['ANSIBLE_ROLES_PATH'],
    type: 'pathspec',
    default: undefined,
    applied: 'where Ansible roles are found',
  },
  COLLECTIONS_PATHS: {
    ini: [['defaults', 'collections_path']],
    env: ['ANSIBLE_COLLECTIONS_PATH'],
    type: 'pathspec',
    default: undefined,
    applied: 'where collections are found',
  },
  DEFAULT_FORKS: {
    ini: [['defaults', 'forks']],
    env: ['ANSIBLE_FORKS'],
    type: 'integer',
    default: undefined,
    applied: '--forks when not given',
  },
  DEFAULT_TIMEOUT: {
    ini: [
      ['defaults', 'timeout'],
      ['ssh_connection', 'timeout'],
    ],
    env: ['ANSIBLE_TIMEOUT', 'ANSIBLE_SSH_TIMEOUT'],
    type: 'integer',
    default: undefined,
    applied: '--timeout when not given',
  },
  DEFAULT_REMOTE_USER: {
    ini: [['defaults', 'remote_user']],
    env: ['ANSIBLE_REMOTE_USER'],
    type: 'string',
    default: undefined,
    applied: 'the login user where no ansible_user is set',
  },
  DEFAULT_REMOTE_PORT: {
    ini: [['defaults', 'remote_port']],
    env: ['ANSIBLE_REMOTE_PORT'],
    type: 'integer',
    default: undefined,
    applied: 'the port where no ansible_port is set',
  },
  DEFAULT_PRIVATE_KEY_FILE: {
    ini: [['defaults', 'private_key_file']],
    env: ['ANSIBLE_PRIVATE_KEY_FILE'],
    type: 'path',
    default: undefined,
    applied: 'the key where no ansible_ssh_private_key_file is set',
  },
  HOST_KEY_CHECKING: {
    ini: [
      ['defaults', 'host_key_checking'],
      ['ssh_connection', 'host_key_checking'],
    ],
    env: ['ANSIBLE_HOST_KEY_CHECKING', 'ANSIBLE_SSH_HOST_KEY_CHECKING'],
    type: 'boolean',
    default: true,
    applied: 'False is --host-key-checking off',
  },
  SSH_ARGS: {
    ini: [['ssh_connection', 'ssh_args']],
    env: ['ANSIBLE_SSH_ARGS'],
    type: 'string',
    default: '',
    applied: 'ssh options, read as ansible_ssh_common_args',
  },
  SSH_COMMON_ARGS: {
    ini: [['ssh_connection', 'ssh_common_args']],
    env: ['ANSIBLE_SSH_COMMON_ARGS'],
    type: 'string',
    default: '',
    applied: 'the default of ansible_ssh_common_args',
  },
  SSH_EXTRA_ARGS: {
    ini: [['ssh_connection', 'ssh_extra_args']],
    env: ['ANSIBLE_SSH_EXTRA_ARGS'],
    type: 'string',
    default: '',
    applied: 'the default of ansible_ssh_extra_args',
  },
  DEFAULT_BECOME: {
    ini: [['privilege_escalation', 'become']],
    env: ['ANSIBLE_BECOME'],
    type: 'boolean',
    default: false,
    applied: "a play's become when it sets none",
  },
  DEFAULT_BECOME_USER: {
    ini: [['privilege_escalation', 'become_user']],
    env: ['ANSIBLE_BECOME_USER'],
    type: 'string',
    default: 'root',
    applied: 'become_user when none is set',
  },
  DEFAULT_BECOME_METHOD: {
    ini: [['privilege_escalation', 'become_method']],
    env: ['ANSIBLE_BECOME_METHOD'],
    type: 'string',
    default: 'sudo',
    applied: 'become_method when none is set',
    unless: (v) => v === 'sudo' || v === 'su',
    why: 'quorum becomes another user with sudo or su only',
  },
  DEFAULT_BECOME_ASK_PASS: {
    ini: [['privilege_escalation', 'become_ask_pass']],
    env: ['ANSIBLE_BECOME_ASK_PASS'],
    type: 'boolean',
    default: false,
    applied: '-K',
  },
  DEFAULT_BECOME_FLAGS: {
    ini: [['privilege_escalation', 'become_flags']],
    env: ['ANSIBLE_BECOME_FLAGS'],
    type: 'string',
    default: '',
    unless: (v) => v === '',
    why: 'set become_flags on the play or task, where quorum checks them',
  },
  DEFAULT_BECOME_EXE: {
    ini: [['privilege_escalation', 'become_exe']],
    env: ['ANSIBLE_BECOME_EXE'],
    type: 'string',
    default: undefined,
    unless: empty,
    why: 'set become_exe on the play or task, where quorum checks it',
  },
  DEFAULT_VAULT_PASSWORD_FILE: {
    ini: [['defaults', 'vault_password_file']],
    env: ['ANSIBLE_VAULT_PASSWORD_FILE'],
    type: 'path',
    default: undefined,
    applied: '--vault-password-file when none is given',
  },
  DEFAULT_VAULT_IDENTITY_LIST: {
    ini: [['defaults', 'vault_identity_list']],
    env: ['ANSIBLE_VAULT_IDENTITY_LIST'],
    type: 'list',
    default: [],
    applied: '--vault-id when none is given',
  },
  DEFAULT_ASK_VAULT_PASS: {
    ini: [['defaults', 'ask_vault_pass']],
    env: ['ANSIBLE_ASK_VAULT_PASS'],
    type: 'boolean',
    default: false,
    applied: '--ask-vault-pass',
  },
  DEFAULT_GATHERING: {
    ini: [['defaults', 'gathering']],
    env: ['ANSIBLE_GATHERING'],
    type: 'string',
    default: 'implicit',
    applied: 'explicit: a play without gather_facts gathers none',
    unless: (v) => ['implicit', 'explicit', 'smart'].includes(String(v)),
    why: 'one of implicit, explicit, smart',
  },
  DEFAULT_MANAGED_STR: {
    ini: [['defaults', 'ansible_managed']],
    env: [],
    type: 'string',
    default: 'Ansible managed',
    applied: "the template module's ansible_managed",
  },
  DIFF_ALWAYS: {
    ini: [['diff', 'always']],
    env: ['ANSIBLE_DIFF_ALWAYS'],
    type: 'boolean',
    default: false,
    applied: '--diff',
  },
  TAGS_RUN: {
    ini: [['tags', 'run']],
    env: ['ANSIBLE_RUN_TAGS'],
    type: 'list',
    default: [],
    applied: '--tags when not given',
  },
  TAGS_SKIP: {
    ini: [['tags', 'skip']],
    env: ['ANSIBLE_SKIP_TAGS'],
    type: 'list',
    default: [],
    applied: '--skip-tags when not given',
  },
  ANY_ERRORS_FATAL: {
    ini: [['defaults', 'any_errors_fatal']],
    env: ['ANSIBLE_ANY_ERRORS_FATAL'],
    type: 'boolean',
    default: false,
    applied: "a play's any_errors_fatal when it sets none",
  },
  DEFAULT_FORCE_HANDLERS: {
    ini: [['defaults', 'force_handlers']],
    env: ['ANSIBLE_FORCE_HANDLERS'],
    type: 'boolean',
    default: false,
    applied: "a play's force_handlers when it sets none",
  },
  DEFAULT_HASH_BEHAVIOUR: {
    ini: [['defaults', 'hash_behaviour']],
    env: ['ANSIBLE_HASH_BEHAVIOUR'],
    type: 'string',
    default: 'replace',
    unless: is('replace'),
    why: 'quorum replaces a dict variable defined again, as Ansible does by default (merging is include_vars hash_behaviour: merge)',
  },
  DEFAULT_UNDEFINED_VAR_BEHAVIOR: {
    ini: [['defaults', 'error_on_undefined_vars']],
    env: ['ANSIBLE_ERROR_ON_UNDEFINED_VARS'],
    type: 'boolean',
    default: true,
    unless: is(true),
    why: 'an undefined variable is always an error in quorum',
  },
  DEFAULT_PRIVATE_ROLE_VARS: {
    ini: [['defaults', 'private_role_vars']],
    env: ['ANSIBLE_PRIVATE_ROLE_VARS'],
    type: 'boolean',
    default: false,
    unless: is(false),
    why: "quorum exposes a role's vars to later roles as Ansible does by default",
  },
  DEFAULT_JINJA2_EXTENSIONS: {
    ini: [['defaults', 'jinja2_extensions']],
    env: ['ANSIBLE_JINJA2_EXTENSIONS'],
    type: 'list',
    default: [],
    unless: (v) => empty(v) || is([''])(v),
    why: 'quorum has no Jinja2 extensions',
  },
  DEFAULT_STRATEGY: {
    ini: [['defaults', 'strategy']],
    env: ['ANSIBLE_STRATEGY'],
    type: 'string',
    default: 'linear',
    unless: (v) => v === 'linear' || v === 'ansible.builtin.linear',
    why: "quorum runs plays as the linear strategy orders them (a play's own `strategy` is checked where it is written)",
  },
  INJECT_FACTS_AS_VARS: {
    ini: [['defaults', 'inject_facts_as_vars']],
    env: ['ANSIBLE_INJECT_FACT_VARS'],
    type: 'boolean',
    default: true,
    unless: is(true),
    why: 'quorum defines facts as ansible_* variables too, as Ansible does by default',
  },
  DEFAULT_EXECUTABLE: {
    ini: [['defaults', 'executable']],
    env: ['ANSIBLE_EXECUTABLE'],
    type: 'string',
    default: '/bin/sh',
    unless: is('/bin/sh'),
    why: 'quorum runs commands with /bin/sh',
  },
  VARIABLE_PRECEDENCE: {
    ini: [['defaults', 'precedence']],
    env: ['ANSIBLE_PRECEDENCE'],
    type: 'list',
    default: undefined,
    unless: empty,
    why: 'quorum orders variables as Ansible does by default',
  },
  PLAYBOOK_VARS_ROOT: {
    ini: [['defaults', 'playbook_vars_root']],
    env: ['ANSIBLE_PLAYBOOK_VARS_ROOT'],
    type: 'string',
    default: 'top',
    unless: is('top'),
    why: 'quorum reads group_vars/host_vars beside the top playbook, as Ansible does by default',
  },
  VARIABLE_PLUGINS_ENABLED: {
    ini: [['defaults', 'vars_plugins_enabled']],
    env: ['ANSIBLE_VARS_ENABLED'],
    type: 'list',
    default: ['host_group_vars'],
    unless: (v) =>
      Array.isArray(v) &&
      v.every((p) => ['host_group_vars', 'ansible.builtin.host_group_vars'].includes(String(p))) &&
      v.length > 0,
    why: 'quorum reads group_vars/host_vars only (the host_group_vars plugin)',
  },
  DEFAULT_NO_LOG: {
    ini: [['defaults', 'no_log']],
    env: ['ANSIBLE_NO_LOG'],
    type: 'boolean',
    default: false,
    unless: is(false),
    why: 'set no_log on the plays or tasks',
  },
  TASK_TIMEOUT: {
    ini: [['defaults', 'task_timeout']],
    env: ['ANSIBLE_TASK_TIMEOUT'],
    type: 'integer',
    default: 0,
    unless: is(0),
    why: 'set timeout on the plays or tasks',
  },
  DIFF_CONTEXT: {
    ini: [['diff', 'context']],
    env: ['ANSIBLE_DIFF_CONTEXT'],
    type: 'integer',
    default: 3,
    unless: is(3),
    why: 'quorum shows 3 lines of context, as Ansible does by default',
  },
  ALLOW_BROKEN_CONDITIONALS: {
    ini: [['defaults', 'allow_broken_conditionals']],
    env: ['ANSIBLE_ALLOW_BROKEN_CONDITIONALS'],
    type: 'boolean',
    default: false,
    unless: is(false),
    why: 'quorum holds a condition to a boolean, as ansible-core 2.19 does by default',
  },
  ALLOW_EMBEDDED_TEMPLATES: {
    ini: [['defaults', 'allow_embedded_templates']],
    env: ['ANSIBLE_ALLOW_EMBEDDED_TEMPLATES'],
    type: 'boolean',
    default: true,
    unless: is(true),
    why: 'quorum renders templates embedded in expressions, as Ansible does by default',
  },
  DEFAULT_NULL_REPRESENTATION: {
    ini: [['defaults', 'null_representation']],
    env: ['ANSIBLE_NULL_REPRESENTATION'],
    type: 'string',
    default: undefined,
    unless: empty,
    why: 'quorum prints None as Ansible does by default',
  },
  ERROR_ON_MISSING_HANDLER: {
    ini: [['defaults', 'error_on_missing_handler']],
    env: ['ANSIBLE_ERROR_ON_MISSING_HANDLER'],
    type: 'boolean',
    default: true,
    unless: is(true),
    why: 'a notify of a handler that does not exist is always an error in quorum',
  },
  INVALID_TASK_ATTRIBUTE_FAILED: {
    ini: [['defaults', 'invalid_task_attribute_failed']],
    env: ['ANSIBLE_INVALID_TASK_ATTRIBUTE_FAILED'],
    type: 'boolean',
    default: true,
    unless: is(true),
    why: 'an invalid task keyword is always an error in quorum',
  },
  ENABLE_TASK_DEBUGGER: {
    ini: [['defaults', 'enable_task_debugger']],
    env: ['ANSIBLE_ENABLE_TASK_DEBUGGER'],
    type: 'boolean',
    default: false,
    unless: is(false),
    why: 'quorum has no interactive debugger',
  },
  TRANSFORM_INVALID_GROUP_CHARS: {
    ini: [['defaults', 'force_valid_group_names']],
    env: ['ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS'],
    type: 'string',
    default: 'never',
    unless: (v) => v === 'never' || v === 'ignore',
    why: 'quorum keeps group names as written (never)',
  },
  INVENTORY_IGNORE_EXTS: {
    ini: [
      ['defaults', 'inventory_ignore_extensions'],
      ['inventory', 'ignore_extensions'],
    ],
    env: ['ANSIBLE_INVENTORY_IGNORE'],
    type: 'list',
    default: ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'],
    applied: 'which files of an inventory folder are skipped',
  },
  INVENTORY_IGNORE_PATTERNS: {
    ini: [
      ['defaults', 'inventory_ignore_patterns'],
      ['inventory', 'ignore_patterns'],
    ],
    env: ['ANSIBLE_INVENTORY_IGNORE_REGEX'],
    type: 'list',
    default: [],
    applied: 'which files of an inventory folder are skipped',
  },
  YAML_FILENAME_EXTENSIONS: {
    ini: [['defaults', 'yaml_valid_extensions']],
    env: ['ANSIBLE_YAML_FILENAME_EXT'],
    type: 'list',
    default: ['.yml', '.yaml', '.json'],
    unless: (v) => is(['.yml', '.yaml', '.json'])(v),
    why: 'quorum reads vars files ending .yml, .yaml, .json (or none), as Ansible does by default',
  },
  DEFAULT_TRANSPORT: {
    ini: [['defaults', 'transport']],
    env: ['ANSIBLE_TRANSPORT'],
    type: 'string',
    default: 'ssh',
    unless: (v) =>
      ['ssh', 'smart', 'paramiko', 'local'].includes(String(v).replace(/^ansible\.builtin\./, '')),
    applied: 'local: every host without ansible_connection runs on this machine (-c local)',
    why: 'quorum connects over SSH, or locally',
  },
  DEFAULT_SU: {
    ini: [['defaults', 'su']],
    env: ['ANSIBLE_SU'],
    type: 'boolean',
    default: false,
    unless: is(false),
    why: 'use become and become_method: su',
  },
  DEFAULT_ALLOW_UNSAFE_LOOKUPS: {
    ini: [['defaults', 'allow_unsafe_lookups']],
    env: ['ANSIBLE_ALLOW_UNSAFE_LOOKUPS'],
    type: 'boolean',
    default: false,
    unless: is(false),
    why: "quorum does not render a lookup's result again, as Ansible does by default",
  },
  DEFAULT_LOG_PATH: {
    ini: [['defaults', 'log_path']],
    env: ['ANSIBLE_LOG_PATH'],
    type: 'path',
    default: undefined,
    warnUnless: empty,
    why: 'quorum writes no such log; `--log FILE` writes its event stream, and runs are journaled',
  },
  CACHE_PLUGIN: {
    ini: [['defaults', 'fact_caching']],
    env: ['ANSIBLE_CACHE_PLUGIN'],
    type: 'string',
    default: 'memory',
    warnUnless: (v) => v === 'memory' || v === 'ansible.builtin.memory',
    why: 'quorum gathers facts afresh in each run and keeps no fact cache',
  },
  DEFAULT_MODULE_PATH: pluginPath('modules', 'ANSIBLE_LIBRARY', 'library'),
  DEFAULT_MODULE_UTILS_PATH: pluginPath('module_utils', 'ANSIBLE_MODULE_UTILS', 'module_utils'),
  DEFAULT_FILTER_PLUGIN_PATH: pluginPath('filter', 'ANSIBLE_FILTER_PLUGINS', 'filter_plugins'),
  DEFAULT_LOOKUP_PLUGIN_PATH: pluginPath('lookup', 'ANSIBLE_LOOKUP_PLUGINS', 'lookup_plugins'),
  DEFAULT_TEST_PLUGIN_PATH: pluginPath('test', 'ANSIBLE_TEST_PLUGINS', 'test_plugins'),
  DEFAULT_ACTION_PLUGIN_PATH: pluginPath('action', 'ANSIBLE_ACTION_PLUGINS', 'action_plugins'),
  DEFAULT_VARS_PLUGIN_PATH: pluginPath('vars', 'ANSIBLE_VARS_PLUGINS', 'vars_plugins'),
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
