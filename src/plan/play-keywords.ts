/**
 * Play keywords written as templates (`serial: "{{ batch_size }}"`, `become: "{{ use_sudo }}"`),
 * rendered before the plan from the play's vars and -e, as ansible-core renders them when the
 * play starts (hosts likewise, in targets.ts). A value that cannot be rendered then, or is no
 * value of its keyword, is an error at the keyword's place before any host is touched.
 * (`any_errors_fatal` is not rendered by ansible-core: see load.ts.)
 */
import { InputError, type SourceLocation } from '../errors.ts';
import type { Play, TaskSpec } from '../playbook/model.ts';
import { withIncluded } from '../playbook/task-scope.ts';
import { pyTruth } from '../template/jinja/values.ts';
import { renderDeep } from '../template/render.ts';

/** ansible-core's boolean(): these words (any case), true/false and 1/0. */
const TRUE = ['yes', 'on', '1', 'true', 'y', 't'];
const FALSE = ['no', 'off', '0', 'false', 'n', 'f'];

function asBoolean(value: unknown, key: string, at: SourceLocation | undefined): boolean {
  if (typeof value === 'boolean') return value;
  const word = String(value).trim().toLowerCase();
  if (TRUE.includes(word)) return true;
  if (FALSE.includes(word)) return false;
  throw new InputError('SCHEMA', `${key} rendered to ${JSON.stringify(value)}, which is not a boolean`, at);
}

function asBatch(value: unknown, key: string, at: SourceLocation | undefined): number | string {
  const text = String(value).trim();
  if (/^\d+%$/.test(text)) return text;
  if (/^\d+$/.test(text) && Number(text) >= 1) return Number(text);
  throw new InputError(
    'SCHEMA',
    `${key} rendered to ${JSON.stringify(value)}: expected a whole number of at least 1 or a percentage`,
    at,
  );
}

export function renderPlayKeywords(play: Play, extraVars: Record<string, unknown>) {
  for (const [key, { text, location }] of Object.entries(play.templated ?? {})) {
    let value: unknown;
    try {
      value = renderDeep(text, { ...play.vars, ...extraVars });
    } catch (e) {
      throw new InputError(
        'SCHEMA',
        `${key}: ${JSON.stringify(text)} cannot be rendered before the run: ${(e as Error).message}`,
        location,
        "a play's keywords may use its vars and -e (give the value with -e NAME=...)",
      );
    }
    if (key === 'serial')
      play.serial = (Array.isArray(value) ? value : [value]).map((v) => asBatch(v, key, location));
    else if (key === 'max_fail_percentage') {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || n > 100)
        throw new InputError(
          'SCHEMA',
          `${key} rendered to ${JSON.stringify(value)}: expected 0 to 100`,
          location,
        );
      play.maxFailPercentage = n;
    } else if (key === 'gather_facts') play.gatherFacts = asBoolean(value, key, location);
    else if (key === 'become') play.become = asBoolean(value, key, location);
  }
}

/**
 * A task's `run_once`, `throttle` or `check_mode` written as a template, rendered before the plan from what
 * the task sees before any host runs: `groups`, its role's defaults and vars, the play's vars, its
 * role params and -e (ansible-core renders them when the task is queued, with its first host's vars;
 * one that needs a host's own variables is refused at its place). run_once is the rendered
 * value's Python truth, as 2.19 takes it: `false` is false, but the text "no" (`-e once=no`) is true.
 */
export function renderTaskKeywords(
  play: Play,
  extraVars: Record<string, unknown>,
  /** What every host sees alike (`groups`), asked for only when a keyword is a template. */
  shared: () => Record<string, unknown> = () => ({}),
  /** The run is a check run (`ansible_check_mode`, which a templated check_mode often defaults to). */
  check = false,
) {
  let sharedVars: Record<string, unknown> | undefined;
  const tasks = withIncluded([
    ...play.items.flatMap((i) => (i.kind === 'task' ? [i.task] : [])),
    ...play.handlers,
  ]);
  for (const task of tasks)
    for (const [key, t] of Object.entries(task.templatedKeywords ?? {})) render(task, key, t);

  function render(
    task: TaskSpec,
    key: string,
    { text, location }: { text: string; location?: SourceLocation },
  ) {
    let value: unknown;
    try {
      sharedVars ??= { ...shared(), ansible_check_mode: check };
      value = renderDeep(text, {
        ...sharedVars,
        ...task.defaults,
        ...play.vars,
        ...task.vars,
        ...task.roleParams,
        ...extraVars,
      });
    } catch (e) {
      throw new InputError(
        'SCHEMA',
        `${key}: ${JSON.stringify(text)} cannot be rendered before the run: ${(e as Error).message}`,
        location,
        "quorum decides a task's run_once, throttle and check_mode before the run: from groups, play vars, role vars and defaults, role params, -e and ansible_check_mode",
      );
    }
    // 2.19 takes the rendered value's truth as Python does: the text "no" is true there too
    if (key === 'run_once') task.runOnce = pyTruth(value);
    else if (key === 'check_mode') {
      // a bool field: post_validate's boolean(), as play keywords
      const on = asBoolean(value, key, location);
      task.alwaysCheck = on;
      task.runInCheck = !on && task.readOnly === true;
      task.notRunInCheck = !on && task.readOnly !== true;
    } else {
      const n = Number(String(value).trim());
      if (!Number.isInteger(n) || n < 0)
        throw new InputError(
          'SCHEMA',
          `throttle rendered to ${JSON.stringify(value)}: expected a whole number`,
          location,
        );
      // 0 is ansible-core's default: no throttle
      task.throttle = n === 0 ? undefined : n;
    }
  }
}
