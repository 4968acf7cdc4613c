/**
 * Loops as Ansible writes them: `loop`, and the older `with_items` (flattened one level),
 * `with_list`, `with_dict` (key/value items), `with_subelements`, `with_first_found` (the first
 * file that exists), `with_nested`/`with_cartesian`, `with_together`, `with_indexed_items`,
 * `with_flattened` and `with_sequence`, with loop_control's loop_var, index_var and label.
 */
import { InputError, type SourceLocation } from '../errors.ts';
import { fileglob, lookup, setLookupScope } from '../template/jinja/lookups.ts';
import { renderDeep } from '../template/render.ts';
import type { TaskSpec } from './model.ts';

const FORMS: Record<string, TaskSpec['loopKind']> = {
  loop: 'loop',
  with_items: 'items',
  with_list: 'loop',
  with_dict: 'dict',
  with_subelements: 'subelements',
  with_first_found: 'first_found',
  with_fileglob: 'fileglob',
  with_nested: 'nested',
  with_cartesian: 'nested',
  with_together: 'together',
  with_indexed_items: 'indexed',
  with_flattened: 'flattened',
  with_sequence: 'sequence',
  with_random_choice: 'lookup',
  with_lines: 'lookup',
  with_inventory_hostnames: 'lookup',
};
export const LOOP_KEYWORDS = Object.keys(FORMS);
/** with_<lookup> loops that are the lookup's list as it is. */
const LOOKUP_LOOPS: Record<string, string> = {
  with_random_choice: 'random_choice',
  with_lines: 'lines',
  with_inventory_hostnames: 'inventory_hostnames',
};
export const UNSUPPORTED_LOOPS: string[] = [];

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
  const given = LOOP_KEYWORDS.filter((k) => task[k] !== undefined);
  const unsupported = Object.keys(task).find(
    (k) => UNSUPPORTED_LOOPS.includes(k) || (k.startsWith('with_') && !FORMS[k]),
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
    loopKind: FORMS[given[0]],
    loopVar: control.loop_var as string | undefined,
    indexVar: control.index_var as string | undefined,
    loopLabel: control.label as string | undefined,
    loopLookup: LOOKUP_LOOPS[given[0]],
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
    case 'items':
      return Array.isArray(value) ? value.flat(1) : [value];
    case 'dict':
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.entries(value).map(([key, v]) => ({ key, value: v }));
    case 'subelements': {
      const [list, key] = value as [unknown[], string];
      return (Array.isArray(list) ? list : []).flatMap((el) => {
        const sub = (el as Record<string, unknown>)[key];
        return Array.isArray(sub) ? sub.map((s) => [el, s]) : [];
      });
    }
    case 'fileglob': {
      setLookupScope(vars);
      return [value].flat().flatMap((t) => fileglob(String(t)));
    }
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
        throw new InputError('TASK', `with_first_found: none of ${terms.join(', ')} exists`, task.location);
      return [found];
    }
    case 'nested': {
      const lists = lists_(value, 'with_nested', task);
      return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
    }
    case 'together': {
      const lists = lists_(value, 'with_together', task);
      const n = Math.max(0, ...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : null)));
    }
    case 'indexed':
      return (Array.isArray(value) ? value.flat(1) : [value]).map((x, i) => [i, x]);
    case 'flattened':
      return [value].flat(Number.POSITIVE_INFINITY);
    case 'sequence':
      return [value].flat().flatMap((t) => sequence(String(t), task));
    case 'lookup':
      setLookupScope(vars);
      return lookup(task.loopLookup ?? '', [value].flat(), true);
    default:
      return value;
  }
}

/** with_nested / with_together take a list of lists. */
function lists_(value: unknown, keyword: string, task: TaskSpec): unknown[][] {
  if (!Array.isArray(value) || value.some((l) => !Array.isArray(l)))
    throw new InputError('TASK', `${keyword} needs a list of lists`, task.location);
  return value as unknown[][];
}

/** Python's `%` formatting of one integer: %d, %s, %x, %X, %o with flags and width (`%02x`). */
function pyFormat(format: string, n: number, task: TaskSpec): string {
  let used = false;
  const out = format.replace(
    /%(%|([-0 +]*)(\d*)([dixXos]))/g,
    (_all, pct, flags: string, width: string, conv: string) => {
      if (pct === '%') return '%';
      used = true;
      let text =
        conv === 'x'
          ? n.toString(16)
          : conv === 'X'
            ? n.toString(16).toUpperCase()
            : conv === 'o'
              ? n.toString(8)
              : String(n);
      if (n >= 0 && flags.includes('+') && conv !== 's') text = `+${text}`;
      const w = Number(width || 0);
      if (text.length < w)
        text = flags.includes('-')
          ? text.padEnd(w)
          : flags.includes('0') && conv !== 's'
            ? text.startsWith('-')
              ? `-${text.slice(1).padStart(w - 1, '0')}`
              : text.padStart(w, '0')
            : text.padStart(w);
      return text;
    },
  );
  if (!used)
    throw new InputError('TASK', `with_sequence: format "${format}" has no number in it`, task.location);
  return out;
}

/**
 * Ansible's sequence lookup: `start=1 end=10 stride=2 format=web%02d` (or `count=`), or the
 * short form `[start-]end[/stride][:format]`. Items are text, as Ansible gives them.
 */
function sequence(term: string, task: TaskSpec): string[] {
  const bad = (why: string): never => {
    throw new InputError('TASK', `with_sequence "${term}": ${why}`, task.location);
  };
  const num = (v: string) => {
    const n = /^-?(0x[0-9a-f]+|0o?[0-7]+|\d+)$/i.test(v)
      ? Number(v.replace(/^(-?)0(?=[0-7])/, '$10o'))
      : Number.NaN;
    return Number.isInteger(n) ? n : bad(`"${v}" is not a whole number`);
  };
  let start = 1;
  let end: number | undefined;
  let count: number | undefined;
  let stride = 1;
  let format = '%d';
  const short = /^(?:(-?\w+)-)?(-?\w+)(?:\/(-?\w+))?(?::(.+))?$/.exec(term.trim());
  if (!term.includes('=') && short) {
    if (short[1] !== undefined) start = num(short[1]);
    end = num(short[2]);
    if (short[3] !== undefined) stride = num(short[3]);
    if (short[4] !== undefined) format = short[4];
  } else {
    for (const word of term.trim().split(/\s+/)) {
      const [k, ...rest] = word.split('=');
      const v = rest.join('=');
      if (k === 'start') start = num(v);
      else if (k === 'end') end = num(v);
      else if (k === 'count') count = num(v);
      else if (k === 'stride') stride = num(v);
      else if (k === 'format') format = v;
      else bad(`unknown argument "${k}"`);
    }
  }
  if (count !== undefined) {
    if (end !== undefined) bad('count and end together');
    end = start + (count - 1) * stride;
    if (count <= 0) return [];
  }
  if (end === undefined) bad('needs end or count');
  if (stride === 0) bad('stride is 0');
  if ((stride > 0 && end! < start) || (stride < 0 && end! > start))
    bad('to count backwards make stride negative');
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end! : i >= end!; i += stride) {
    out.push(pyFormat(format, i, task));
    if (out.length > 100_000) bad('more than 100000 items');
  }
  return out;
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
