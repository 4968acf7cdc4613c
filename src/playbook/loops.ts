/**
 * Loops as Ansible writes them: `loop`, and the older `with_items` (flattened one level),
 * `with_list`, `with_first_found` (the first file that exists), `with_flattened`, and
 * `with_<lookup>` for every other lookup (`with_dict`, `with_subelements`, `with_file`, ...),
 * with loop_control's loop_var, index_var and label.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { ControllerStateError, FilterError } from '../template/jinja/filter-error.ts';
import { LOOKUPS, loopLookup, pythonLookupOf, setLookupScope } from '../template/jinja/lookups.ts';
import { CONTROLLER_STATE, renderDeep } from '../template/render.ts';
import type { TaskSpec } from './model.ts';

/**
 * with_<name> loops whose items are the lookup's list of the loop's value (2.19's task_executor):
 * every lookup quorum has, bare and with the FQCN Ansible accepts for collection lookups.
 */
const LOOKUP_LOOPS: Record<string, string> = Object.fromEntries([
  ...[...LOOKUPS]
    .filter((name) => name !== 'first_found')
    .flatMap((name) => [
      [`with_${name}`, name],
      [`with_ansible.builtin.${name}`, name],
    ]),
  ['with_community.general.filetree', 'filetree'],
]);
const FORMS: Record<string, TaskSpec['loopKind']> = {
  loop: 'loop',
  with_list: 'loop',
  'with_ansible.builtin.list': 'loop',
  with_first_found: 'first_found',
  'with_ansible.builtin.first_found': 'first_found',
  // ansible-core routes flattened to community.general's (dev-sec's hardening writes it so)
  with_flattened: 'flattened',
  'with_community.general.flattened': 'flattened',
  ...Object.fromEntries(Object.keys(LOOKUP_LOOPS).map((k) => [k, 'lookup' as const])),
};
export const LOOP_KEYWORDS = Object.keys(FORMS);
export const UNSUPPORTED_LOOPS: string[] = [];
/** with_<lookup> of a Python lookup plugin (python-lookups.ts), found when the task is read. */
const pythonLoop = (k: string) =>
  k.startsWith('with_') && !FORMS[k] && pythonLookupOf(k.slice(5)) !== undefined;
/** A task key that is a loop (any with_<name> is read as one: parseLoop refuses those quorum lacks). */
export const isLoopKey = (k: string) => FORMS[k] !== undefined || k.startsWith('with_');

export interface LoopSpec {
  loop?: unknown;
  loopKind?: TaskSpec['loopKind'];
  loopVar?: string;
  indexVar?: string;
  loopLabel?: string;
  /** with_lines and the like: the named lookup's list of the terms. */
  loopLookup?: string;
  /** loop_control.pause: seconds between items. */
  loopPause?: number;
}

/** The loop of a raw task, or an error naming the keyword quorum does not have. */
export function parseLoop(
  task: Record<string, unknown>,
  where: (key: string) => SourceLocation | undefined,
): LoopSpec {
  const given = Object.keys(task).filter((k) => task[k] !== undefined && (FORMS[k] || pythonLoop(k)));
  const unsupported = Object.keys(task).find(
    (k) => UNSUPPORTED_LOOPS.includes(k) || (k.startsWith('with_') && !FORMS[k] && !pythonLoop(k)),
  );
  if (unsupported)
    throw new InputError(
      'TASK',
      `${unsupported} is not supported`,
      where(unsupported),
      'write it as `loop:` with filters (see "Loops" in the README)',
    );
  if (given.length > 1)
    throw new InputError('TASK', `a task has one loop, not ${given.join(' and ')}`, where(given[1]));
  const control = (task.loop_control ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(control))
    if (!['loop_var', 'index_var', 'label', 'pause', 'extended'].includes(k))
      throw new InputError('TASK', `loop_control.${k} is not supported`, where('loop_control'));
  if (control.pause !== undefined && !(typeof control.pause === 'number' && control.pause >= 0))
    throw new InputError('TASK', 'loop_control.pause must be a number of seconds', where('loop_control'));
  if (given.length === 0) return {};
  return {
    loop: task[given[0]],
    loopKind: FORMS[given[0]] ?? 'lookup',
    loopVar: control.loop_var as string | undefined,
    indexVar: control.index_var as string | undefined,
    loopLabel: control.label as string | undefined,
    loopLookup: LOOKUP_LOOPS[given[0]] ?? given[0].slice(5),
    loopPause: control.pause === undefined ? undefined : Number(control.pause),
  };
}

/** The items of a task's loop with these vars; `exists` answers for with_first_found. */
export function loopItems(
  task: TaskSpec,
  vars: Record<string, unknown>,
  exists?: (path: string) => boolean,
): unknown {
  const value = renderDeep(task.loop, vars);
  switch (task.loopKind) {
    case 'first_found': {
      const terms = (Array.isArray(value) ? value : [value]).flatMap((t) => {
        if (t && typeof t === 'object') {
          const { files = [], paths = [''] } = t as { files?: string[]; paths?: string[] };
          return [files].flat().flatMap((f) => [paths].flat().map((p) => (p ? `${p}/${f}` : f)));
        }
        return [String(t)];
      });
      const found = terms.find((t) => exists?.(t) ?? true);
      if (found === undefined)
        throw new InputError(
          CONTROLLER_STATE,
          `with_first_found: none of ${terms.join(', ')} exists`,
          task.location,
        );
      return [found];
    }
    case 'flattened':
      return [value].flat(Number.POSITIVE_INFINITY);
    case 'lookup':
      setLookupScope(vars);
      try {
        return loopLookup(task.loopLookup ?? '', value);
      } catch (e) {
        if (!(e instanceof FilterError)) throw e;
        const shown = typeof value === 'string' ? ` "${value}"` : '';
        const code = e instanceof ControllerStateError ? CONTROLLER_STATE : 'TASK';
        throw new InputError(code, `with_${task.loopLookup}${shown}: ${e.message}`, task.location);
      }
    default:
      return value;
  }
}

/** The vars of one iteration. */
export function itemScope(
  task: TaskSpec,
  vars: Record<string, unknown>,
  item: unknown,
  index: number,
): Record<string, unknown> {
  const scope = { ...vars, [task.loopVar ?? 'item']: item };
  if (task.indexVar) scope[task.indexVar] = index;
  return scope;
}
