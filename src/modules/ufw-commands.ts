/**
 * community.general.ufw's parameters and the ufw commands its module runs for them, in its order
 * (state, default, rule, logging) and with its words (plugins/modules/ufw.py, ansible 12.0.0).
 */
import { quote } from '../transport/shell.ts';

export interface UfwParams {
  state?: 'enabled' | 'disabled' | 'reloaded' | 'reset';
  default?: 'allow' | 'deny' | 'reject';
  logging?: 'full' | 'high' | 'low' | 'medium' | 'off' | 'on';
  direction?: 'in' | 'incoming' | 'out' | 'outgoing' | 'routed';
  delete?: boolean;
  route?: boolean;
  insert?: number;
  insert_relative_to?: 'zero' | 'first-ipv4' | 'last-ipv4' | 'first-ipv6' | 'last-ipv6';
  rule?: 'allow' | 'deny' | 'limit' | 'reject';
  interface?: string;
  interface_in?: string;
  interface_out?: string;
  log?: boolean;
  from_ip?: string;
  from_port?: string;
  to_ip?: string;
  to_port?: string;
  proto?: string;
  name?: string;
  comment?: string;
}

export const UFW_PARAM_ALIASES = {
  policy: 'default',
  if: 'interface',
  if_in: 'interface_in',
  if_out: 'interface_out',
  from: 'from_ip',
  src: 'from_ip',
  dest: 'to_ip',
  to: 'to_ip',
  port: 'to_port',
  protocol: 'proto',
  app: 'name',
};

const COMMAND_KEYS = ['state', 'default', 'rule', 'logging'] as const;
export type UfwCommandKey = (typeof COMMAND_KEYS)[number];

/** The module's commands dict: the command keys given (and not empty), in its order. */
export const commandKeys = (p: UfwParams): UfwCommandKey[] => COMMAND_KEYS.filter((k) => p[k]);

/** AnsibleModule's checks of the spec (mutually_exclusive, required_one_of, required_by), its words. */
export function checkUfwParams(p: UfwParams): string[] {
  const errors: string[] = [];
  for (const group of [
    ['name', 'proto', 'logging'],
    ['direction', 'interface_in'],
    ['direction', 'interface_out'],
  ] as const) {
    if (group.filter((k) => p[k] !== undefined).length > 1)
      errors.push(`parameters are mutually exclusive: ${group.join('|')}`);
  }
  if (!COMMAND_KEYS.some((k) => p[k] !== undefined))
    errors.push(`one of the following is required: ${COMMAND_KEYS.join(', ')}`);
  if (p.interface !== undefined && p.direction === undefined)
    errors.push("missing parameter(s) required by 'interface': direction");
  return errors;
}

/** A failure the module raises with fail_json before it runs the command. */
export function ruleRefusal(p: UfwParams, key: UfwCommandKey): string | undefined {
  if (
    key === 'default' &&
    p.direction !== undefined &&
    !['outgoing', 'incoming', 'routed'].includes(p.direction)
  )
    return 'For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.';
  if (key === 'rule' && p.direction !== undefined && !['in', 'out'].includes(p.direction))
    return 'For rules, direction must be one of "in" and "out", or direction must not be specified.';
  if (key === 'rule' && !p.route && p.interface_in && p.interface_out)
    return 'Only route rules can combine interface_in and interface_out';
  return undefined;
}

const STATE_WORDS = { enabled: 'enable', disabled: 'disable', reloaded: 'reload', reset: 'reset' };

/** The ufw arguments for one command key (`--dry-run` first when asked). */
export function ufwArgs(p: UfwParams, key: UfwCommandKey, insertTo?: number, dryRun = false): string[] {
  const start = dryRun ? ['--dry-run'] : [];
  if (key === 'state') return [...start, '-f', STATE_WORDS[p.state!]];
  if (key === 'logging') return [...start, 'logging', p.logging!];
  if (key === 'default') return [...start, 'default', p.default!, ...(p.direction ? [p.direction] : [])];
  const args = [...start];
  if (p.route) args.push('route');
  if (p.delete) args.push('delete');
  if (insertTo !== undefined) args.push('insert', String(insertTo));
  args.push(p.rule!);
  if (p.direction) args.push(p.direction);
  if (p.interface) args.push('on', p.interface);
  if (p.interface_in) args.push('in', 'on', p.interface_in);
  if (p.interface_out) args.push('out', 'on', p.interface_out);
  if (p.log) args.push('log');
  args.push('from', p.from_ip ?? 'any');
  if (p.from_port) args.push('port', p.from_port);
  args.push('to', p.to_ip ?? 'any');
  if (p.to_port) args.push('port', p.to_port);
  if (p.proto) args.push('proto', p.proto);
  if (p.name) args.push('app', p.name);
  // comments exist since ufw 0.35; Debian 10 and later have 0.36
  if (p.comment) args.push('comment', p.comment);
  return args;
}

export const ufwCommand = (args: string[]) => `LANG=C ufw ${args.map(quote).join(' ')}`;

/**
 * The rule number `insert` means, from `ufw status numbered` (the module's arithmetic): undefined
 * when past the last rule, where ufw would refuse the number and the module appends instead.
 */
export function insertNumber(p: UfwParams, numbered: string): number | undefined {
  if (p.insert === undefined || p.delete) return undefined;
  const relative = p.insert_relative_to ?? 'zero';
  if (relative === 'zero') return p.insert;
  const lines = numbered
    .split('\n')
    .map((l) => [/^\[ *([0-9]+)\] /.exec(l), l.includes('(v6)')] as const)
    .flatMap(([m, v6]) => (m ? [{ no: Number(m[1]), v6 }] : []));
  const last = lines.length ? Math.max(...lines.map((l) => l.no)) : 0;
  const v4 = lines.filter((l) => !l.v6).map((l) => l.no);
  const hasV6 = lines.some((l) => l.v6);
  const lastV4 = v4.length ? Math.max(...v4) : undefined;
  const base =
    relative === 'first-ipv4'
      ? 1
      : relative === 'last-ipv4'
        ? (lastV4 ?? 1)
        : relative === 'first-ipv6'
          ? lastV4 !== undefined
            ? lastV4 + 1
            : 1
          : hasV6
            ? last
            : last + 1;
  const at = p.insert + base;
  return at > last ? undefined : at;
}
