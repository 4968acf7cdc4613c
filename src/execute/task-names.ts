/** What a task is called when it runs: its shown name, and the handler names it notifies, rendered. */
import type { PlanNode } from '../plan/graph.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { OMIT } from '../template/jinja/engine.ts';
import { pyTruth } from '../template/jinja/values.ts';
import { renderDeep } from '../template/render.ts';

/**
 * The handlers a task notifies: a templated name (`restart {{ service }}`) rendered with its
 * vars, and "role : handler" as the handler's own name (as plan/notifies.ts reads it).
 */
export function notifiedNames(
  task: TaskSpec,
  vars: Record<string, unknown>,
  play: PlanNode['play'],
): string[] {
  const answers = (h: string) => play.handlers.some((x) => x.name === h || x.listen.includes(h));
  return task.notify.map((raw) => {
    const h = raw.includes('{{') ? String(renderDeep(raw, vars)) : raw;
    const bare = h.replace(/^.* : /, '');
    return answers(h) || !answers(bare) ? h : bare;
  });
}

/**
 * A task's name as Ansible shows it: templated with the task's variables when it starts (an
 * included file's loop item, a fact an earlier task set), left as written where it cannot be.
 */
export function withShownName(task: TaskSpec, vars: Record<string, unknown>): TaskSpec {
  if (!task.name.includes('{{')) return task;
  try {
    const name = renderDeep(task.name, vars);
    return typeof name === 'string' && name !== task.name ? { ...task, name } : task;
  } catch {
    return task;
  }
}

/** A boolean keyword written as a template, rendered: text read as a word for one (`False`, `no`). */
function renderedFlag(text: string, vars: Record<string, unknown>): boolean {
  const v = renderDeep(text, vars);
  // `omit`: the keyword as if not written, false for these
  if (v === OMIT) return false;
  return typeof v === 'string'
    ? !['false', 'no', 'off', '0', 'n', 'f', ''].includes(v.trim().toLowerCase())
    : pyTruth(v);
}

/**
 * Templated no_log and diff rendered with the host's vars; one that cannot be rendered keeps
 * the safe side (hidden, no diff).
 */
export function withRenderedFlags(task: TaskSpec, vars: Record<string, unknown>): TaskSpec {
  if (
    task.noLogTemplate === undefined &&
    task.diffTemplate === undefined &&
    task.delegateFactsTemplate === undefined
  )
    return task;
  const out = { ...task };
  try {
    if (task.delegateFactsTemplate !== undefined)
      out.delegateFacts = renderedFlag(task.delegateFactsTemplate, vars);
    if (task.noLogTemplate !== undefined) out.noLog = renderedFlag(task.noLogTemplate, vars);
    if (task.diffTemplate !== undefined) out.diff = renderedFlag(task.diffTemplate, vars);
  } catch {
    return task;
  }
  return out;
}
