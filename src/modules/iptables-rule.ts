/**
 * The iptables module's parameters and its construct_rule (ansible-core 2.19,
 * modules/iptables.py): the words of a rule in the module's order, so that `iptables -C` asks
 * exactly what Ansible asks and the registered `rule` is the module's text.
 */

export interface IptablesParams {
  table?: 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
  state?: 'present' | 'absent';
  action?: 'append' | 'insert';
  ip_version?: 'ipv4' | 'ipv6' | 'both';
  chain?: string;
  rule_num?: string;
  protocol?: string;
  wait?: string;
  source?: string;
  to_source?: string;
  destination?: string;
  to_destination?: string;
  match?: string[];
  tcp_flags?: { flags?: string[]; flags_set?: string[] };
  jump?: string;
  gateway?: string;
  log_prefix?: string;
  log_level?: string;
  goto?: string;
  in_interface?: string;
  out_interface?: string;
  fragment?: string;
  set_counters?: string;
  source_port?: string;
  destination_port?: string;
  destination_ports?: string[];
  to_ports?: string;
  set_dscp_mark?: string;
  set_dscp_mark_class?: string;
  comment?: string;
  ctstate?: string[];
  src_range?: string;
  dst_range?: string;
  match_set?: string;
  match_set_flags?: 'src' | 'dst' | 'src,dst' | 'dst,src' | 'src,src' | 'dst,dst';
  limit?: string;
  limit_burst?: string;
  uid_owner?: string;
  gid_owner?: string;
  reject_with?: string;
  icmp_type?: string;
  syn?: 'ignore' | 'match' | 'negate';
  flush?: boolean;
  policy?: 'ACCEPT' | 'DROP' | 'QUEUE' | 'RETURN';
  chain_management?: boolean;
  numeric?: boolean;
}

/** The module's `type='str'` parameters: a YAML number is taken as its text, as Ansible converts it. */
export const TEXT_PARAMS = [
  'chain',
  'rule_num',
  'protocol',
  'wait',
  'source',
  'to_source',
  'destination',
  'to_destination',
  'jump',
  'gateway',
  'log_prefix',
  'log_level',
  'goto',
  'in_interface',
  'out_interface',
  'fragment',
  'set_counters',
  'source_port',
  'destination_port',
  'to_ports',
  'set_dscp_mark',
  'set_dscp_mark_class',
  'comment',
  'src_range',
  'dst_range',
  'match_set',
  'limit',
  'limit_burst',
  'uid_owner',
  'gid_owner',
  'reject_with',
  'icmp_type',
] as const;
export const LIST_PARAMS = ['match', 'destination_ports', 'ctstate'] as const;

const ICMP_TYPE_OPTIONS = { ipv4: '--icmp-type', ipv6: '--icmpv6-type', both: '--icmp-type --icmpv6-type' };

/** `!x` negates: `! FLAG x`. */
function param(rule: string[], value: string | undefined, flag: string) {
  if (value === undefined || value === null) return;
  if (value.startsWith('!')) rule.push('!', flag, value.slice(1));
  else rule.push(flag, value);
}

function matchFlag(rule: string[], value: string | undefined, flag: string | undefined, negatable: boolean) {
  if (flag === undefined) return;
  if (value === 'match') rule.push(flag);
  else if (negatable && value === 'negate') rule.push('!', flag);
}

const csv = (rule: string[], values: string[] | undefined, flag: string) => {
  if (values?.length) rule.push(flag, values.join(','));
};
const withMatch = (rule: string[], on: unknown, name: string) => {
  if (on && !(Array.isArray(on) && on.length === 0)) rule.push('-m', name);
};
const withJump = (rule: string[], on: unknown, target: string) => {
  if (on) rule.push('-j', target);
};

/** construct_rule: the rule's words, in the module's order. */
export function constructRule(p: IptablesParams): string[] {
  const rule: string[] = [];
  const match = p.match ?? [];
  param(rule, p.protocol, '-p');
  param(rule, p.source, '-s');
  param(rule, p.destination, '-d');
  for (const m of match) param(rule, m, '-m');
  if (p.tcp_flags?.flags && p.tcp_flags.flags_set)
    rule.push('--tcp-flags', p.tcp_flags.flags.join(','), p.tcp_flags.flags_set.join(','));
  param(rule, p.jump, '-j');
  if (p.jump?.toLowerCase() === 'tee') param(rule, p.gateway, '--gateway');
  param(rule, p.log_prefix, '--log-prefix');
  param(rule, p.log_level, '--log-level');
  param(rule, p.to_destination, '--to-destination');
  withMatch(rule, p.destination_ports, 'multiport');
  csv(rule, p.destination_ports, '--dports');
  param(rule, p.to_source, '--to-source');
  param(rule, p.goto, '-g');
  param(rule, p.in_interface, '-i');
  param(rule, p.out_interface, '-o');
  param(rule, p.fragment, '-f');
  param(rule, p.set_counters, '-c');
  param(rule, p.source_port, '--source-port');
  param(rule, p.destination_port, '--destination-port');
  param(rule, p.to_ports, '--to-ports');
  param(rule, p.set_dscp_mark, '--set-dscp');
  if (p.set_dscp_mark && p.jump?.toLowerCase() !== 'dscp') withJump(rule, p.set_dscp_mark, 'DSCP');
  param(rule, p.set_dscp_mark_class, '--set-dscp-class');
  if (p.set_dscp_mark_class && p.jump?.toLowerCase() !== 'dscp')
    withJump(rule, p.set_dscp_mark_class, 'DSCP');
  matchFlag(rule, p.syn ?? 'ignore', '--syn', true);
  if (match.includes('conntrack')) csv(rule, p.ctstate, '--ctstate');
  else if (match.includes('state')) csv(rule, p.ctstate, '--state');
  else if (p.ctstate?.length) {
    withMatch(rule, p.ctstate, 'conntrack');
    csv(rule, p.ctstate, '--ctstate');
  }
  if (match.includes('iprange')) {
    param(rule, p.src_range, '--src-range');
    param(rule, p.dst_range, '--dst-range');
  } else if (p.src_range || p.dst_range) {
    withMatch(rule, p.src_range || p.dst_range, 'iprange');
    param(rule, p.src_range, '--src-range');
    param(rule, p.dst_range, '--dst-range');
  }
  if (match.includes('set')) {
    param(rule, p.match_set, '--match-set');
    // the module's own call passes 'match' as the value and the flags as the flag
    matchFlag(rule, 'match', p.match_set_flags, false);
  } else if (p.match_set) {
    withMatch(rule, p.match_set, 'set');
    param(rule, p.match_set, '--match-set');
    matchFlag(rule, 'match', p.match_set_flags, false);
  }
  withMatch(rule, p.limit || p.limit_burst, 'limit');
  param(rule, p.limit, '--limit');
  param(rule, p.limit_burst, '--limit-burst');
  withMatch(rule, p.uid_owner, 'owner');
  matchFlag(rule, p.uid_owner, '--uid-owner', true);
  param(rule, p.uid_owner, '--uid-owner');
  withMatch(rule, p.gid_owner, 'owner');
  matchFlag(rule, p.gid_owner, '--gid-owner', true);
  param(rule, p.gid_owner, '--gid-owner');
  if (p.jump === undefined) {
    withJump(rule, p.reject_with, 'REJECT');
    withJump(rule, p.set_dscp_mark_class, 'DSCP');
    withJump(rule, p.set_dscp_mark, 'DSCP');
  }
  param(rule, p.reject_with, '--reject-with');
  param(rule, p.icmp_type, ICMP_TYPE_OPTIONS[p.ip_version ?? 'ipv4']);
  withMatch(rule, p.comment, 'comment');
  param(rule, p.comment, '--comment');
  return rule;
}
