/**
 * A PAM service file as community.general's pamd module reads and writes it
 * (plugins/modules/pamd.py, collection 11.x in Debian 13's ansible 12): comments, blank lines
 * and @include lines kept as they are; every rule parsed into type, control, module path and
 * arguments, and written back as `'{type: <11}{control} {path} {args}'`; a changed file gets
 * its "# Updated by Ansible - TIME" mark as the second line.
 */

import { pySplitLines } from '../py-splitlines.ts';

const RULE =
  /(?<type>-?(?:auth|account|session|password))\s+(?<control>\[.*\]|\S*)\s+(?<path>\S*)\s*(?<args>.*)\s*/;
const ARG = /(\[.*\]|\S*)/g;

export const VALID_TYPES = [
  'account',
  '-account',
  'auth',
  '-auth',
  'password',
  '-password',
  'session',
  '-session',
];
const SIMPLE_CONTROLS = [
  'required',
  'requisite',
  'sufficient',
  'optional',
  'include',
  'substack',
  'definitive',
];
const CONTROL_VALUES = [
  'success',
  'open_err',
  'symbol_err',
  'service_err',
  'system_err',
  'buf_err',
  'perm_denied',
  'auth_err',
  'cred_insufficient',
  'authinfo_unavail',
  'user_unknown',
  'maxtries',
  'new_authtok_reqd',
  'acct_expired',
  'session_err',
  'cred_unavail',
  'cred_expired',
  'cred_err',
  'no_module_data',
  'conv_err',
  'authtok_err',
  'authtok_recover_err',
  'authtok_lock_busy',
  'authtok_disable_aging',
  'try_again',
  'ignore',
  'abort',
  'authtok_expired',
  'module_unknown',
  'bad_item',
  'conv_again',
  'incomplete',
  'default',
];
const CONTROL_ACTIONS = ['ignore', 'bad', 'die', 'ok', 'done', 'reset'];

export class PamdError extends Error {}

export interface Rule {
  kind: 'rule';
  type: string;
  /** A simple control, or the words of a bracketed one. */
  control: string | string[];
  path: string;
  args: string[];
}
/** A comment or blank line, or an @include (which before/after do not step over). */
export type PamdLine = { kind: 'text'; line: string; include?: true } | Rule;

/** parse_module_arguments: each value split into words, a bracketed `[...]` one word. */
export function parseArgs(values: string | string[] | undefined): string[] {
  if (values === undefined) return [];
  const list = [values].flat();
  if (list.length === 1 && !list[0]) return [];
  return list.flatMap((v) => (v.match(ARG) ?? []).filter(Boolean));
}

function controlOf(control: string): string | string[] {
  if (!control.startsWith('[')) return control;
  return control.replaceAll(' = ', '=').replaceAll('[', '').replaceAll(']', '').split(' ');
}

export const controlText = (r: Rule) => (Array.isArray(r.control) ? `[${r.control.join(' ')}]` : r.control);

export function newRule(type: string, control: string, path: string, args?: string[]): Rule {
  return { kind: 'rule', type, control: controlOf(control), path, args: parseArgs(args) };
}

export function parseService(content: string): PamdLine[] {
  return pySplitLines(content).map((line): PamdLine => {
    const bare = line.trimStart();
    if (bare.startsWith('#') || line.trim() === '') return { kind: 'text', line };
    if (bare.startsWith('@include')) return { kind: 'text', line, include: true };
    const m = RULE.exec(line);
    if (!m?.groups) throw new PamdError(`the PAM service line "${line}" is not a rule the module reads`);
    return newRule(m.groups.type, m.groups.control, m.groups.path, [m.groups.args]);
  });
}

export const matches = (l: PamdLine, type: string, control: string, path: string): l is Rule =>
  l.kind === 'rule' && l.type === type && controlText(l) === control && l.path === path;

export function ruleText(r: Rule): string {
  const head = `${r.type.padEnd(11)}${controlText(r)} ${r.path}`;
  return r.args.length ? `${head} ${r.args.join(' ')}` : head;
}

/** PamdService.validate: the first rule whose type or control is not PAM's, in the module's words. */
export function invalidRule(lines: PamdLine[]): string | undefined {
  for (const r of lines) {
    if (r.kind !== 'rule') continue;
    const text = ruleText(r);
    if (!VALID_TYPES.includes(r.type)) return `Rule type, ${r.type}, is not valid in rule ${text}`;
    if (!Array.isArray(r.control)) {
      if (!SIMPLE_CONTROLS.includes(r.control))
        return `Rule control, ${r.control}, is not valid in rule ${text}`;
      continue;
    }
    for (const c of r.control) {
      const [value, action, extra] = c.split('=');
      if (action === undefined || extra !== undefined)
        throw new PamdError(`the control "${controlText(r)}" of rule ${text} is not value=action words`);
      if (!CONTROL_VALUES.includes(value))
        return `Rule control value, ${value}, is not valid in rule ${text}`;
      if (!CONTROL_ACTIONS.includes(action) && !/^\+?\d+$/.test(action.trim()))
        return `Rule control action, ${action}, is not valid in rule ${text}`;
    }
  }
  return undefined;
}

/** PamdService.__str__: every line, the mark second (replacing an earlier mark there). */
export function serviceText(lines: PamdLine[], now: Date): string {
  const out = lines.map((l) => (l.kind === 'rule' ? ruleText(l) : l.line));
  const mark = `# Updated by Ansible - ${isoLocal(now)}`;
  if (out.length <= 1) out.splice(0, 0, '', mark);
  else if (out[1].startsWith('# Updated by Ansible')) out[1] = mark;
  else out.splice(1, 0, mark);
  return `${out.join('\n')}\n`;
}

/** Python's datetime.now().isoformat(): local time, microseconds. */
function isoLocal(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000`;
}
