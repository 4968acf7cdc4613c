/**
 * How a step's commands run: through sudo to root (become), then as another user
 * (become_user, through root with runuser), with the task's environment exported.
 */
import { ansibleConfig } from '../config/ansible-config.ts';
import { renderDeep } from '../template/render.ts';
import { sh } from '../transport/shell.ts';

/** `runuser -u USER -- /bin/sh -c command` (util-linux, on every Linux host); the command itself without a user. */
export function asUser(command: string, user: string | undefined): string {
  return user ? `runuser -u ${sh`${user}`} -- /bin/sh -c ${sh`${command}`}` : command;
}

/** `export K='v'; command`: the step's environment for one of its commands. */
export function withEnvironment(command: string, env: Record<string, string> | undefined): string {
  if (!env || Object.keys(env).length === 0) return command;
  return `${Object.entries(env)
    .map(([k, v]) => `export ${k}=${sh`${v}`};`)
    .join(' ')} ${command}`;
}

/** A connection variable's value, rendered where it is a template. */
const connectionVar = (vars: Record<string, unknown>, name: string): unknown => {
  const v = vars[name];
  return typeof v === 'string' && v.includes('{{') ? renderDeep(v, vars) : v;
};

/** Ansible's boolean() of a keyword's value (a string from an INI inventory too). */
const asBoolean = (v: unknown) =>
  typeof v === 'boolean' ? v : ['y', 'yes', 'on', '1', 'true', 't'].includes(String(v).toLowerCase());

/**
 * Whether an inline task runs through sudo: the host's `ansible_become`, which beats the
 * keywords as connection variables do in Ansible (checked against 2.19), else the task's own
 * `become`, else the play's.
 */
export function taskBecome(
  task: { become?: boolean },
  play: { become: boolean },
  vars: Record<string, unknown>,
) {
  const variable = connectionVar(vars, 'ansible_become');
  if (variable !== undefined && variable !== null) return asBoolean(variable);
  return task.become ?? play.become;
}

/**
 * The user an inline task's commands run as when not root: `ansible_become_user` (a variable
 * beats the keywords, as in 2.19), else the task's become_user, the play's, then ansible.cfg's.
 * Only where the task becomes: a become_user without become runs as the login user, as in Ansible.
 */
export function taskBecomeUser(
  task: { becomeUser?: string },
  play: { becomeUser?: string },
  vars: Record<string, unknown>,
  become: boolean,
): string | undefined {
  if (!become) return undefined;
  // the become plugins' variables, the last one set winning (sudo's and su's own names after)
  const variable = ['ansible_become_user', 'ansible_sudo_user', 'ansible_su_user']
    .map((name) => connectionVar(vars, name))
    .filter((v) => v !== undefined && v !== null)
    .at(-1);
  const user =
    (typeof variable === 'string' ? variable : undefined) ??
    task.becomeUser ??
    play.becomeUser ??
    String(ansibleConfig().get('DEFAULT_BECOME_USER').value);
  return user === 'root' ? undefined : user;
}
