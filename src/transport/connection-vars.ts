/**
 * The variables that say how quorum reaches a host (transport/connect.ts reads them). quorum keeps
 * one connection per host for a run, so they come from the inventory, the play's `vars` (the
 * same for every play of the host) and `-e`, in Ansible's order; a task's or block's vars that
 * set one are refused (Ansible would connect differently for that task alone).
 */
export const CONNECTION_VARS = [
  'ansible_connection',
  'ansible_host',
  'ansible_ssh_host',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_ssh_password',
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_sudo_pass',
  'ansible_ssh_args',
  'ansible_ssh_common_args',
  'ansible_ssh_extra_args',
  'ansible_host_key_checking',
  'ansible_ssh_host_key_checking',
  'ansible_ssh_timeout',
  'ansible_private_key',
  'ansible_ssh_private_key',
  'ansible_private_key_passphrase',
  'ansible_ssh_private_key_passphrase',
];

/**
 * An option's variables in the ssh connection plugin's order (its DOCUMENTATION, ansible-core
 * 2.19): where several are set, the last one of the list wins, as the config manager loops them.
 */
export const OPTION_VARS = {
  host: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  password: ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password'],
  privateKeyFile: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
  hostKeyChecking: ['ansible_host_key_checking', 'ansible_ssh_host_key_checking'],
  becomePassword: ['ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass'],
  /** the key's text and its passphrase (new in 2.19): quorum reads keys from files only */
  privateKey: [
    'ansible_private_key',
    'ansible_ssh_private_key',
    'ansible_private_key_passphrase',
    'ansible_ssh_private_key_passphrase',
  ],
} as const;

/** The option's value from the last of its variables that is set (not empty). */
export function optionVar(vars: Record<string, unknown>, names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (const name of names) {
    const v = vars[name];
    if (v !== undefined && v !== null && v !== '') value = String(v);
  }
  return value;
}

/** The connection variables among `vars`. */
export function connectionVarsOf(vars: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars ?? {}).filter(([k]) => CONNECTION_VARS.includes(k)));
}
