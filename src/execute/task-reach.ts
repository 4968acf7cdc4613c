/**
 * What a task's templates can reach beyond its own variables: Ansible's facts (gathered on the
 * host, ~25 processes) and hostvars (every play host's facts). Each is fetched only for a task
 * that can name it (task-mentions.ts): a Jinja2 template or an Ansible role's task no longer
 * gathers facts because it might.
 */
import type { TaskSpec } from '../playbook/model.ts';
import { taskMentions } from '../playbook/task-mentions.ts';

export function reachesFacts(task: TaskSpec, vars: Record<string, unknown>, searchDirs: string[]): boolean {
  // ansible_host, ansible_user ... from the inventory are variables, not facts to gather
  return taskMentions(task, vars, searchDirs, (text, defined) => text.facts.some((name) => !defined(name)));
}

export function reachesHostvars(
  task: TaskSpec,
  vars: Record<string, unknown>,
  searchDirs: string[],
): boolean {
  return taskMentions(task, vars, searchDirs, (text) => text.hostvars);
}
