/** validate's check that every notify names a handler of its play. */
import { InputError } from '../errors.ts';
import { didYouMean } from '../playbook/errors.ts';
import type { Play, TaskSpec } from '../playbook/model.ts';
import { withIncluded } from '../playbook/task-scope.ts';

/**
 * Every `notify` of a play's tasks and handlers names one of its handlers (or a `listen` topic):
 * a typo was a handler that silently never ran. Ansible fails the host when the task notifies;
 * quorum refuses it before any host. A play with dynamic includes may add handlers at run time:
 * it is left to run time, and so is a templated name.
 */
export function checkNotifies(play: Play) {
  const tasks = withIncluded(play.items.flatMap((i) => (i.kind === 'task' ? [i.task] : [])));
  const dynamic = (t: TaskSpec) => t.module.startsWith('include_') && !t.includeGate && !t.includeLoop;
  if (tasks.some((t) => dynamic(t) || t.refused)) return;
  const known = play.handlers.flatMap((h) => [h.name, ...h.listen]);
  for (const task of [...tasks, ...play.handlers])
    for (const name of task.notify) {
      // "role : handler" names a role's handler the way Ansible prints it
      if (name.includes('{{') || known.includes(name) || known.includes(name.replace(/^.* : /, ''))) continue;
      const guess = didYouMean(name, known);
      throw new InputError(
        'TASK',
        `notify: "${name}" is no handler of this play`,
        task.location,
        guess
          ? `did you mean "${guess}"?`
          : known.length
            ? `handlers: ${known.join(', ')}`
            : 'the play has no handlers',
      );
    }
}
