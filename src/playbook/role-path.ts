/**
 * Where roles are looked for, first match wins: --roles-path, QUORUM_ROLES_PATH, `roles/`
 * beside the playbook (and one level up), then the built-in roles/. Both the playbook loader
 * (Ansible roles, which also look where ansible-core does: ansibleRoleSearchPath) and the role
 * registry (TypeScript roles) search it.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ansibleConfig, userSetting } from '../config/ansible-config.ts';
import { PROJECT_ROOT } from '../paths.ts';

export const BUILTIN_ROLES = join(PROJECT_ROOT, 'roles');

export function roleSearchPath(options: { playbookDir?: string; rolesPath?: string[] }): string[] {
  const fromEnv = (process.env.QUORUM_ROLES_PATH ?? '').split(delimiter).filter(Boolean);
  const dirs = [
    ...(options.rolesPath ?? []),
    ...fromEnv,
    ...(options.playbookDir
      ? [join(options.playbookDir, 'roles'), join(options.playbookDir, '..', 'roles')]
      : []),
    BUILTIN_ROLES,
  ];
  return [...new Set(dirs.map((d) => resolve(d)))].filter((d) => existsSync(d));
}

/**
 * Where roles of installed collections are found (`ns.coll.role`), first match wins as in
 * ansible-core: `collections/` beside the playbook, then collections_path (ansible.cfg or
 * ANSIBLE_COLLECTIONS_PATH; by default ANSIBLE_HOME/collections and
 * /usr/share/ansible/collections); each one's ansible_collections/.
 */
export function collectionRoots(playbookDir?: string): string[] {
  const configured = userSetting<string[]>('COLLECTIONS_PATHS') ?? [
    join(ansibleHome(), 'collections'),
    '/usr/share/ansible/collections',
  ];
  const dirs = [...(playbookDir ? [join(playbookDir, 'collections')] : []), ...configured];
  return [...new Set(dirs.map((d) => resolve(d, 'ansible_collections')))].filter((d) => existsSync(d));
}

const ansibleHome = () => String(ansibleConfig().get('ANSIBLE_HOME').value);

/**
 * Where an Ansible role (not a TypeScript one) is also looked for, after `searchPath` as
 * roleSearchPath gives it, in ansible-core's order (RoleDefinition._load_role_path): roles_path
 * (ansible.cfg or ANSIBLE_ROLES_PATH; by default ANSIBLE_HOME/roles, /usr/share/ansible/roles,
 * /etc/ansible/roles), then the playbook's own folder; quorum's built-in roles stay last.
 */
export function ansibleRoleSearchPath(searchPath: string[], playbookDir: string): string[] {
  const configured = userSetting<string[]>('DEFAULT_ROLES_PATH') ?? [
    join(ansibleHome(), 'roles'),
    '/usr/share/ansible/roles',
    '/etc/ansible/roles',
  ];
  const own = searchPath.filter((d) => d !== BUILTIN_ROLES);
  const dirs = [...own, ...configured, playbookDir].map((d) => resolve(d)).filter((d) => existsSync(d));
  return [...new Set([...dirs, ...searchPath.filter((d) => d === BUILTIN_ROLES)])];
}

/**
 * ansible.cfg's plugin folders of a kind (`library`, `module_utils`, `filter_plugins`,
 * `test_plugins`, `lookup_plugins`, or their ANSIBLE_* variables), else ansible-core's defaults; those that exist.
 */
export function configuredPluginDirs(
  setting:
    | 'DEFAULT_MODULE_PATH'
    | 'DEFAULT_MODULE_UTILS_PATH'
    | 'DEFAULT_FILTER_PLUGIN_PATH'
    | 'DEFAULT_TEST_PLUGIN_PATH'
    | 'DEFAULT_LOOKUP_PLUGIN_PATH'
    | 'DEFAULT_ACTION_PLUGIN_PATH',
  kind: 'modules' | 'module_utils' | 'filter' | 'test' | 'lookup' | 'action',
): string[] {
  return (
    userSetting<string[]>(setting) ?? [
      join(ansibleHome(), 'plugins', kind),
      `/usr/share/ansible/plugins/${kind}`,
    ]
  ).filter((d) => existsSync(d));
}
