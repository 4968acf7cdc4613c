/**
 * How a task asks to reach its host and run as someone: become_user with become_flags and
 * become_exe, remote_user and port, connection variables in its vars. quorum keeps one connection
 * per host and reaches users through root, so each is taken where it asks for what quorum does.
 */
import { ansibleConfig } from '../config/ansible-config.ts';
import { InputError, type SourceLocation } from '../errors.ts';
import { CONNECTION_VARS } from '../transport/connection-vars.ts';
import { entryLocation } from '../yaml/load.ts';
import type { TaskSpec } from './model.ts';

/**
 * become_flags and become_exe where they ask for what quorum does anyway (it runs `sudo -n -H`
 * for root and reaches a become_user through root with runuser, whose /bin/sh needs no login
 * shell): sudo's -H, -S and -n; su's -s SHELL; the method's own program. Anything else would run
 * the command otherwise than asked: refused.
 */
export function checkBecomeExtras(keys: Record<string, unknown>, where: SourceLocation): void {
  const method = String(keys.become_method ?? ansibleConfig().get('DEFAULT_BECOME_METHOD').value);
  const exe = keys.become_exe;
  if (exe !== undefined && String(exe).split('/').pop() !== method)
    throw new InputError(
      'TASK',
      `become_exe ${String(exe)} is not supported: quorum runs ${method === 'su' ? 'runuser for su' : 'sudo'}`,
      entryLocation(keys, 'become_exe') ?? where,
    );
  const flags = keys.become_flags;
  if (flags === undefined) return;
  const words = String(flags).trim().split(/\s+/).filter(Boolean);
  const ok =
    method === 'sudo'
      ? words.every((w) => /^-[HSn]+$/.test(w))
      : words.every((w, i) => w === '-s' || /^--shell=\S+$/.test(w) || (i > 0 && words[i - 1] === '-s'));
  if (!ok)
    throw new InputError(
      'TASK',
      `become_flags "${String(flags)}" is not supported with ${method}: quorum runs ${method === 'sudo' ? 'sudo -n -H' : 'runuser -u USER -- /bin/sh -c'}, so only ${method === 'sudo' ? '-H, -S and -n' : '-s SHELL'} ask for what it does`,
      entryLocation(keys, 'become_flags') ?? where,
    );
}

/** become_user (with become_method sudo or su: quorum reaches the user through root either way). */
export function becomeUserOf(task: Record<string, unknown>, where: SourceLocation): string | undefined {
  checkBecomeExtras(task, where);
  if (task.become_method !== undefined && !['sudo', 'su'].includes(String(task.become_method)))
    throw new InputError(
      'TASK',
      `become_method ${String(task.become_method)} is not supported (sudo or su)`,
      entryLocation(task, 'become_method') ?? where,
    );
  if (task.become_user === undefined) return undefined;
  const user = String(task.become_user);
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(user) && !user.includes('{{'))
    throw new InputError(
      'TASK',
      `become_user "${user}" is not a user name`,
      entryLocation(task, 'become_user') ?? where,
    );
  return user;
}

/** The refusal of a task's or block's connection vars: under a `when` it fails where it runs (list-scope.ts). */
export class ConnectionVarsRefused extends InputError {}

/** A task's or block's vars that would reach the host another way for it alone (transport/connection-vars.ts). */
export function refuseConnectionVars(vars: unknown, where: SourceLocation): void {
  if (!vars || typeof vars !== 'object') return;
  const key = Object.keys(vars).find((k) => CONNECTION_VARS.includes(k));
  if (key)
    throw new ConnectionVarsRefused(
      'TASK',
      `${key} in a task's or block's vars: quorum keeps one connection per host for a run`,
      entryLocation(vars, key) ?? where,
      "set it in the inventory, the play's vars or with -e",
    );
}

/** A task's remote_user and port, as written (templates refused: the login is known before the run). */
export function loginOf(task: Record<string, unknown>): TaskSpec['login'] {
  if (task.remote_user === undefined && task.port === undefined) return undefined;
  const user = task.remote_user;
  if (user !== undefined && (typeof user !== 'string' || user.includes('{{')))
    throw new InputError(
      'TASK',
      'remote_user on a task must be a user name (not a template)',
      entryLocation(task, 'remote_user'),
    );
  if (task.port !== undefined && !Number.isInteger(task.port))
    throw new InputError(
      'TASK',
      'port on a task must be a whole number (not a template)',
      entryLocation(task, 'port'),
    );
  return {
    user: user as string | undefined,
    port: task.port as number | undefined,
    location: entryLocation(task, task.remote_user !== undefined ? 'remote_user' : 'port'),
  };
}
