/**
 * The variables that say how quorum reaches a host (transport/connect.ts reads them). quorum keeps
 * one connection per host for a run, so they come from the inventory, the play's `vars` (the
 * same for every play of the host) and `-e`, in Ansible's order; a task's or block's vars that
 * set one are refused (Ansible would connect differently for that task alone).
 */
export const CONNECTION_VARS = [
  'ansible_connection',
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_ssh_common_args',
  'ansible_ssh_extra_args',
];

/** The connection variables among `vars`. */
export function connectionVarsOf(vars: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars ?? {}).filter(([k]) => CONNECTION_VARS.includes(k)));
}
