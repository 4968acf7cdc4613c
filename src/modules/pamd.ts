/**
 * community.general.pamd: one rule of a PAM service file (/etc/pam.d/NAME) updated, added
 * before or after another, its arguments added or removed, or removed, as the collection's
 * module does it (plugins/modules/pamd.py), its quirks kept: a rule added before (after) another
 * takes the place of the comments between that rule and the rule before (after) it, and the
 * whole file is written again in the module's layout with its "Updated by Ansible" mark.
 */
import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import {
  controlText,
  invalidRule,
  matches,
  newRule,
  PamdError,
  type PamdLine,
  parseArgs,
  parseService,
  type Rule,
  serviceText,
  VALID_TYPES,
} from './pamd-rules.ts';
import { type Change, defineModule } from './types.ts';

/** time.strftime("%Y-%m-%d@%H:%M:%S"), the controller's local time. */
function backupTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

type State = 'absent' | 'after' | 'args_absent' | 'args_present' | 'before' | 'updated';

interface PamdParams {
  name: string;
  type: string;
  control: string;
  module_path: string;
  new_type?: string;
  new_control?: string;
  new_module_path?: string;
  module_arguments?: string[];
  state?: State;
  path?: string;
  backup?: boolean;
}

const REQUIRED: Partial<Record<State, Array<keyof PamdParams>>> = {
  args_present: ['module_arguments'],
  args_absent: ['module_arguments'],
  before: ['new_control', 'new_type', 'new_module_path'],
  after: ['new_control', 'new_type', 'new_module_path'],
};

/** Steps over comments and blank lines (not @include) from `at` by `step`; -1 past the ends. */
function nearestRule(lines: PamdLine[], at: number, step: 1 | -1): number {
  let i = at + step;
  while (i >= 0 && i < lines.length && lines[i].kind === 'text' && !(lines[i] as { include?: true }).include)
    i += step;
  return i >= 0 && i < lines.length ? i : -1;
}

function insert(lines: PamdLine[], found: Rule[], p: PamdParams, where: 'before' | 'after'): number {
  let changes = 0;
  const [type, control, path] = [p.new_type as string, p.new_control as string, p.new_module_path as string];
  for (const rule of found) {
    const at = lines.indexOf(rule);
    const near = nearestRule(lines, at, where === 'before' ? -1 : 1);
    if (near >= 0 && matches(lines[near], type, control, path)) continue;
    const added = newRule(type, control, path, p.module_arguments);
    // linked to its neighbour rule, the module's new rule drops the lines between them
    if (where === 'before') {
      if (near >= 0) lines.splice(near + 1, at - near - 1, added);
      else lines.splice(at, 0, added);
    } else if (near >= 0) lines.splice(at + 1, near - at - 1, added);
    else lines.splice(at + 1, lines.length - at - 1, added);
    changes++;
  }
  return changes;
}

function update(found: Rule[], p: PamdParams): number {
  const args = p.module_arguments === undefined ? undefined : parseArgs(p.module_arguments);
  let changes = 0;
  for (const rule of found) {
    let changed = false;
    if (p.new_type && rule.type !== p.new_type) [changed, rule.type] = [true, p.new_type];
    if (p.new_control && controlText(rule) !== p.new_control) {
      changed = true;
      rule.control = newRule(rule.type, p.new_control, rule.path).control;
    }
    if (p.new_module_path && rule.path !== p.new_module_path)
      [changed, rule.path] = [true, p.new_module_path];
    if (args !== undefined && rule.args.join('\0') !== args.join('\0')) [changed, rule.args] = [true, args];
    if (changed) changes++;
  }
  return changes;
}

/** Simple words and key=value words of a rule's arguments (bracketed ones left aside). */
function split(args: string[]): { simple: string[]; pairs: Map<string, string> } {
  const simple: string[] = [];
  const pairs = new Map<string, string>();
  for (const arg of args) {
    if (arg.startsWith('[')) continue;
    if (!arg.includes('=')) simple.push(arg);
    else {
      const [key, value, extra] = arg.split('=');
      if (extra !== undefined) throw new PamdError(`the argument "${arg}" has more than one "="`);
      pairs.set(key, value);
    }
  }
  return { simple, pairs };
}

function addArgs(found: Rule[], wanted: string[]): number {
  let changes = 0;
  const want = split(wanted);
  for (const rule of found) {
    const have = split(rule.args);
    const added = [
      ...want.simple.filter((a, i) => !have.simple.includes(a) && want.simple.indexOf(a) === i),
      ...[...want.pairs].filter(([k]) => !have.pairs.has(k)).map(([k, v]) => `${k}=${v}`),
    ];
    let changed = added.length > 0;
    rule.args.push(...added);
    for (const [k, v] of want.pairs) {
      const old = have.pairs.get(k);
      if (old === undefined || old === v) continue;
      rule.args[rule.args.indexOf(`${k}=${old}`)] = `${k}=${v}`;
      changed = true;
    }
    if (changed) changes++;
  }
  return changes;
}

function removeArgs(found: Rule[], unwanted: string[]): number {
  let changes = 0;
  for (const rule of found) {
    if (!rule.args.some((a) => unwanted.includes(a))) continue;
    rule.args = rule.args.filter((a) => !unwanted.includes(a));
    changes++;
  }
  return changes;
}

/** The module's action on the service's lines (changed in place); how many rules it changed. */
function apply(lines: PamdLine[], p: PamdParams): number {
  const found = lines.filter((l): l is Rule => matches(l, p.type, p.control, p.module_path));
  switch (p.state ?? 'updated') {
    case 'updated':
      return update(found, p);
    case 'before':
    case 'after':
      return insert(lines, found, p, p.state as 'before' | 'after');
    case 'args_absent':
      return removeArgs(found, parseArgs(p.module_arguments));
    case 'args_present':
      return addArgs(found, parseArgs(p.module_arguments));
    case 'absent':
      for (const rule of found) lines.splice(lines.indexOf(rule), 1);
      return found.length;
  }
}

export const pamdModule = defineModule<PamdParams>({
  name: 'pamd',
  aliases: ['community.general.pamd'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      type: { enum: VALID_TYPES },
      control: { type: 'string' },
      module_path: { type: 'string' },
      new_type: { enum: VALID_TYPES },
      new_control: { type: 'string' },
      new_module_path: { type: 'string' },
      module_arguments: { type: 'array', items: { type: 'string' } },
      state: { enum: ['absent', 'after', 'args_absent', 'args_present', 'before', 'updated'] },
      path: { type: 'string', minLength: 1 },
      backup: { type: 'boolean' },
    },
    required: ['name', 'type', 'control', 'module_path'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const state = p.state ?? 'updated';
    const missing = (REQUIRED[state] ?? []).filter((k) => p[k] === undefined);
    if (missing.length)
      return {
        changes: [],
        failed: `state is ${state} but all of the following are missing: ${missing.join(', ')}`,
        failedOnInput: true,
      };
    if (state === 'args_present' && parseArgs(p.module_arguments).some((a) => a.startsWith('[')))
      return {
        changes: [],
        failed:
          "Unable to process bracketed '[' complex arguments with 'args_present'. Please use 'updated'.",
        failedOnInput: true,
      };
    const file = `${(p.path ?? '/etc/pam.d').replace(/\/+$/, '')}/${p.name}`;
    const found = await ctx.probePath(file, { content: true });
    if (found.kind === 'absent' || found.kind === 'directory') {
      const why =
        found.kind === 'absent' ? '[Errno 2] No such file or directory' : '[Errno 21] Is a directory';
      return {
        changes: [],
        failed: `Unable to open/read PAM module file ${file} with error ${why}: '${file}'.`,
      };
    }
    // the module writes through a link to its target: quorum writes the path it reads
    if (found.kind !== 'file')
      return { changes: [], failed: `${file} is a ${found.kind}, not a regular file` };
    let lines: PamdLine[];
    let changes: number;
    try {
      lines = parseService(found.content ?? '');
      changes = apply(lines, p);
    } catch (e) {
      if (e instanceof PamdError) return { changes: [], failed: e.message };
      throw e;
    }
    const invalid = invalidRule(lines);
    if (invalid) return { changes: [], failed: invalid };
    if (!changes) return { changes: [], result: { change_count: 0, backupdest: '' } };
    const now = new Date();
    const text = serviceText(lines, now);
    // backup_local's name: the file, the process, the time
    const backup = p.backup ? `${file}.${process.pid}.${backupTime(now)}~` : '';
    const keep: Change[] = backup
      ? [
          {
            summary: `keep the old ${file} as ${backup}`,
            action: { kind: 'exec', command: sh`cp -p ${file} ${backup}` },
          },
        ]
      : [];
    return {
      changes: [...keep, ...contentChanges(file, found, text, {})],
      result: { change_count: changes, backupdest: backup },
    };
  },
});
