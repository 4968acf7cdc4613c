/** become_user: root running a step's command as another user. */
import { sh } from '../transport/shell.ts';

/** `runuser -u USER -- /bin/sh -c command` (util-linux, on every Linux host); the command itself without a user. */
export function asUser(command: string, user: string | undefined): string {
  return user ? `runuser -u ${sh`${user}`} -- /bin/sh -c ${sh`${command}`}` : command;
}
