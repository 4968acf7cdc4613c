/**
 * How a step's commands run: through sudo to root (become), then as another user
 * (become_user, through root with runuser), with the task's environment exported.
 */
import { ansibleConfig } from '../config/ansible-config.ts';
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

/** Whether an inline task runs through sudo: its own `become`, else the play's or the host's. */
export function taskBecome(
  task: { become?: boolean },
  play: { become: boolean },
  vars: Record<string, unknown>,
) {
  return task.become ?? (play.become || vars.ansible_become === true);
}

/**
 * The user an inline task's commands run as when not root: its own become_user, else the
 * play's, the host's, then ansible.cfg's become_user. Only where the task becomes: a
 * become_user without become runs as the login user, as in Ansible.
 */
export function taskBecomeUser(
  task: { becomeUser?: string },
  play: { becomeUser?: string },
  vars: Record<string, unknown>,
  become: boolean,
): string | undefined {
  if (!become) return undefined;
  const user =
    task.becomeUser ??
    play.becomeUser ??
    (typeof vars.ansible_become_user === 'string' ? vars.ansible_become_user : undefined) ??
    String(ansibleConfig().get('DEFAULT_BECOME_USER').value);
  return user === 'root' ? undefined : user;
}
