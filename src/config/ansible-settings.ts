/**
 * The settings of ansible.cfg and ANSIBLE_* that quorum reads, each with where ansible-core 2.19
 * takes it from (lib/ansible/config/base.yml and the ssh connection plugin's options: its ini
 * entries, in order, the last one set winning; its environment variables; its type and
 * default), and what quorum does with it: `applied` (honoured as Ansible does; here), or `unless`
 * (quorum runs as Ansible only at these values; any other is refused before a host is touched;
 * those settings are in ansible-settings-guarded.ts).
 * Every other setting 2.19 knows changes only Ansible's own output, speed or tools
 * (KNOWN_ELSEWHERE in ansible-known-settings.ts): accepted, no effect.
 */
import { GUARDED_SETTINGS } from './ansible-settings-guarded.ts';
import type { SettingSpec } from './setting-spec.ts';

export type { SettingSpec, SettingType } from './setting-spec.ts';

const ANSIBLE_HOME = '~/.ansible';

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
  COLLECTIONS_SCAN_SYS_PATH: {
    ini: [['defaults', 'collections_scan_sys_path']],
    env: ['ANSIBLE_COLLECTIONS_SCAN_SYS_PATH'],
    type: 'boolean',
    default: true,
    applied:
      "collections beside ansible-core's Python package (pip install ansible) are found too, after collections_path",
  },
  DEFAULT_MODULE_PATH: {
    ini: [['defaults', 'library']],
    env: ['ANSIBLE_LIBRARY'],
    type: 'pathspec',
    default: '~/.ansible/plugins/modules:/usr/share/ansible/plugins/modules',
    applied: "where modules of the content are found (after a role's library/, before the playbook's)",
  },
  DEFAULT_MODULE_UTILS_PATH: {
    ini: [['defaults', 'module_utils']],
    env: ['ANSIBLE_MODULE_UTILS'],
    type: 'pathspec',
    default: '~/.ansible/plugins/module_utils:/usr/share/ansible/plugins/module_utils',
    applied: 'where the module_utils of such modules are found',
  },
  DEFAULT_FILTER_PLUGIN_PATH: {
    ini: [['defaults', 'filter_plugins']],
    env: ['ANSIBLE_FILTER_PLUGINS'],
    type: 'pathspec',
    default: '~/.ansible/plugins/filter:/usr/share/ansible/plugins/filter',
    applied: 'where Python filter plugins are found',
  },
  DEFAULT_TEST_PLUGIN_PATH: {
    ini: [['defaults', 'test_plugins']],
    env: ['ANSIBLE_TEST_PLUGINS'],
    type: 'pathspec',
    default: '~/.ansible/plugins/test:/usr/share/ansible/plugins/test',
    applied: 'where Python test plugins are found',
  },
  DEFAULT_LOOKUP_PLUGIN_PATH: {
    ini: [['defaults', 'lookup_plugins']],
    env: ['ANSIBLE_LOOKUP_PLUGINS'],
    type: 'pathspec',
    default: '~/.ansible/plugins/lookup:/usr/share/ansible/plugins/lookup',
    applied: 'where Python lookup plugins are found',
  },
  DEFAULT_ACTION_PLUGIN_PATH: {
    ini: [['defaults', 'action_plugins']],
    env: ['ANSIBLE_ACTION_PLUGINS'],
    type: 'pathspec',
    default: '~/.ansible/plugins/action:/usr/share/ansible/plugins/action',
    applied: "where action plugins of the content's own are found",
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
  ...GUARDED_SETTINGS,
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
