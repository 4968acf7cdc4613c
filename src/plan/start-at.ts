/**
 * `--start-at-task NAME`, as ansible-core 2.19's PlayIterator does it: the plays before the
 * first task whose name is NAME or matches it as a glob (fnmatch; a role's task also as
 * `role : name`) run nothing, that play starts at that task, the later plays run whole. As in
 * Ansible it follows static imports only: a task an include_tasks / include_role brings is
 * not a place to start. A name no task has is refused before any host (Ansible runs nothing,
 * then says "No matching task").
 */
import { InputError } from '../errors.ts';
import { globToRegExp } from '../glob.ts';
import type { Play } from '../playbook/model.ts';

/** fnmatch's `[...]` aside, which quorum's glob lacks: the text then matches only as written. */
const matcher = (pattern: string) => {
  const glob = /\[/.test(pattern) ? undefined : globToRegExp(pattern);
  return (name: string) => name === pattern || (glob?.test(name) ?? false);
};

export function startAtTask(plays: Play[], pattern: string): void {
  const matches = matcher(pattern);
  for (const play of plays) {
    const at = play.items.findIndex((item) => {
      if (item.kind !== 'task' || item.task.includeTags?.length) return false;
      const name = item.task.name;
      return matches(name) || matches(name.replace(/^[^:]+ : /, ''));
    });
    if (at < 0) {
      play.items = [];
      continue;
    }
    play.items = play.items.slice(at);
    return;
  }
  throw new InputError(
    'USAGE',
    `No matching task "${pattern}" found. Note: --start-at-task can only follow static includes.`,
  );
}
