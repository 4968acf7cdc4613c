/**
 * community.general.ufw: the firewall's state, default policies, logging and rules, through the
 * host's ufw as the collection's module drives it (ufw-commands.ts has its commands).
 *
 * Planned from one read: `ufw status verbose`, the rule tuples of ufw's files (grep, as the
 * module reads them), ufw.conf and /etc/default/ufw, and `ufw --dry-run` of a rule. The host is
 * left as it is when nothing of it would change; else the task's commands all run, as the
 * module runs them, and the result is changed as the module decides it in apply mode: the
 * status or the tuples differ afterwards, or the state was reloaded or reset. A check run
 * predicts what the host would see (README says where the module's own check mode differs).
 */
import { quote } from '../transport/shell.ts';
import { defineModule, type ModuleOutcome } from './types.ts';
import {
  checkUfwParams,
  commandKeys,
  insertNumber,
  ruleRefusal,
  UFW_PARAM_ALIASES,
  type UfwCommandKey,
  type UfwParams,
  ufwArgs,
  ufwCommand,
} from './ufw-commands.ts';

const MARK = '--quorum-ufw--';
const RULE_FILES = [
  '/lib/ufw/user.rules',
  '/lib/ufw/user6.rules',
  '/etc/ufw/user.rules',
  '/etc/ufw/user6.rules',
  '/var/lib/ufw/user.rules',
  '/var/lib/ufw/user6.rules',
];
const TUPLES = `grep -h '^### tuple' ${RULE_FILES.join(' ')} 2>/dev/null`;
const POLICY_KEYS = {
  incoming: 'DEFAULT_INPUT_POLICY',
  outgoing: 'DEFAULT_OUTPUT_POLICY',
  routed: 'DEFAULT_FORWARD_POLICY',
};
const POLICY_WORDS = { allow: 'ACCEPT', deny: 'DROP', reject: 'REJECT' };

// the module's address patterns (compile_ipv4_regexp / compile_ipv6_regexp)
const OCTET = '(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])';
const IPV4 = new RegExp(`(${OCTET}\\.){3,3}${OCTET}`);
const H = '[0-9a-fA-F]{1,4}';
const IPV6 = new RegExp(
  [
    `(${H}:){7,7}${H}`,
    `(${H}:){1,7}:`,
    `(${H}:){1,6}:${H}`,
    `(${H}:){1,5}(:${H}){1,2}`,
    `(${H}:){1,4}(:${H}){1,3}`,
    `(${H}:){1,3}(:${H}){1,4}`,
    `(${H}:){1,2}(:${H}){1,5}`,
    `${H}:((:${H}){1,6})`,
    `:((:${H}){1,7}|:)`,
    'fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}',
    `::(ffff(:0{1,4}){0,1}:){0,1}(${OCTET}\\.){3,3}${OCTET}`,
    `(${H}:){1,4}:(${OCTET}\\.){3,3}${OCTET}`,
  ].join('|'),
);

const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
const keepLines = (text: string, keep: (line: string) => boolean) => linesOf(text).filter(keep).join('');

/** The module's check-mode reading of a rule's dry run: does it change the rule tuples? */
function ruleChanges(p: UfwParams, preTuples: string, dry: string): boolean {
  const lines = linesOf(dry);
  const skipping = lines.filter((l) => l.includes('Skipping')).length;
  if (skipping > 0 && skipping === lines.length) return false;
  const dryTuples = keepLines(dry, (l) => l.startsWith('### tuple'));
  const starts = (re: RegExp, ip = 'any') => re.exec(ip)?.index === 0;
  for (const re of [IPV4, IPV6]) {
    if (starts(re, p.from_ip) || starts(re, p.to_ip)) {
      const only = (t: string) => keepLines(t, (l) => re.test(l));
      return only(preTuples) !== only(dryTuples);
    }
  }
  return preTuples !== dryTuples;
}

/** KEY=value lines of ufw.conf and /etc/default/ufw (values may be quoted). */
function settings(text: string): Map<string, string> {
  return new Map(
    [...text.matchAll(/^\s*([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2].trim().replace(/^"(.*)"$/, '$1')]),
  );
}

function wouldChange(
  p: UfwParams,
  key: UfwCommandKey,
  status: string,
  conf: Map<string, string>,
  tuples: string,
  dry: string,
): boolean {
  if (key === 'state') {
    const active = status.includes(' active') && conf.get('ENABLED') === 'yes';
    if (p.state === 'enabled') return !active;
    if (p.state === 'disabled') return status.includes(' active') || conf.get('ENABLED') === 'yes';
    return true; // reloaded, reset
  }
  if (key === 'default') {
    const direction = (p.direction ?? 'incoming') as keyof typeof POLICY_KEYS;
    return conf.get(POLICY_KEYS[direction]) !== POLICY_WORDS[p.default!];
  }
  if (key === 'logging') {
    const now = conf.get('LOGLEVEL') ?? 'low';
    const next = p.logging === 'on' ? (now === 'off' ? 'low' : now) : p.logging;
    return next !== now;
  }
  return ruleChanges(p, tuples, dry);
}

export const ufwModule = defineModule<UfwParams>({
  name: 'ufw',
  aliases: ['community.general.ufw'],
  paramAliases: UFW_PARAM_ALIASES,
  schema: {
    type: 'object',
    properties: {
      state: { enum: ['enabled', 'disabled', 'reloaded', 'reset'] },
      default: { enum: ['allow', 'deny', 'reject'] },
      logging: { enum: ['full', 'high', 'low', 'medium', 'off', 'on'] },
      direction: { enum: ['in', 'incoming', 'out', 'outgoing', 'routed'] },
      delete: { type: 'boolean' },
      route: { type: 'boolean' },
      insert: { type: 'integer' },
      insert_relative_to: { enum: ['zero', 'first-ipv4', 'last-ipv4', 'first-ipv6', 'last-ipv6'] },
      rule: { enum: ['allow', 'deny', 'limit', 'reject'] },
      interface: { type: 'string' },
      interface_in: { type: 'string' },
      interface_out: { type: 'string' },
      log: { type: 'boolean' },
      from_ip: { type: 'string' },
      from_port: { type: 'string' },
      to_ip: { type: 'string' },
      to_port: { type: 'string' },
      proto: { enum: ['ah', 'any', 'esp', 'ipv6', 'tcp', 'udp', 'gre', 'igmp', 'vrrp'] },
      name: { type: 'string' },
      comment: { type: 'string' },
    },
    additionalProperties: false,
  },
  check: (p) => checkUfwParams(p),
  async plan(ctx, p): Promise<ModuleOutcome> {
    const keys = commandKeys(p);
    for (const key of keys) {
      const refused = ruleRefusal(p, key);
      if (refused) return { changes: [], failed: refused };
    }
    const relative =
      p.rule && p.insert !== undefined && !p.delete && (p.insert_relative_to ?? 'zero') !== 'zero';
    const read = await ctx.probe(
      [
        `command -v ufw >/dev/null || { echo ${MARK}missing; exit 0; }`,
        `LANG=C ufw status verbose; echo ${MARK}`,
        `${TUPLES}; echo ${MARK}`,
        `cat /etc/ufw/ufw.conf /etc/default/ufw 2>/dev/null; echo ${MARK}`,
        relative ? `LANG=C ufw status numbered; echo ${MARK}` : `echo ${MARK}`,
      ].join('\n'),
    );
    if (read.stdout.startsWith(`${MARK}missing`))
      return { changes: [], failed: 'Failed to find required executable "ufw" in paths' };
    const [status, tuples, conf, numbered] = read.stdout.split(`${MARK}\n`);
    const insertTo = p.rule ? insertNumber(p, numbered) : undefined;
    let dry = '';
    if (p.rule) {
      const r = await ctx.probe(`${ufwCommand(ufwArgs(p, 'rule', insertTo, true))} 2>&1`);
      if (r.code !== 0) return { changes: [], failed: r.stdout.trim() };
      dry = r.stdout;
    }
    const known = settings(conf);
    const changing = keys.filter((k) => wouldChange(p, k, status, known, tuples, dry));
    const result = { msg: status.trimEnd() };
    if (!changing.length) return { changes: [], result };
    const commands = keys.map((k) => ufwCommand(ufwArgs(p, k, insertTo)));
    // each command's own error is the failure (the module's `err or out`)
    const run = commands.map(
      (c) =>
        `${c} >"$t.out" 2>"$t.err" || { r=$?; if [ -s "$t.err" ]; then cat "$t.err" >&2; else cat "$t.out" >&2; fi; rm -f "$t.out" "$t.err"; exit $r; }`,
    );
    const seen = `{ LANG=C ufw status verbose; ${TUPLES}; }`;
    const always = p.state === 'reloaded' || p.state === 'reset';
    return {
      changes: [
        {
          summary: `ufw ${changing.map((k) => `${k} ${k === 'rule' ? ufwArgs(p, k, insertTo).join(' ') : p[k]}`).join(', ')}`,
          action: {
            kind: 'exec',
            command: [
              't=$(mktemp)',
              `pre=$(${seen})`,
              ...run,
              'rm -f "$t" "$t.out" "$t.err"',
              `post=$(${seen})`,
              `[ "$pre" = "$post" ] || echo ${quote(MARK)}changed`,
              'LANG=C ufw status verbose',
            ].join('\n'),
            errorFromStderr: true,
          },
          changedIf: (stdout) => always || stdout.startsWith(`${MARK}changed`),
        },
      ],
      result,
      outputResult: {
        keys: ['msg'],
        from: (stdout) => ({ msg: stdout.replace(`${MARK}changed\n`, '').trimEnd() }),
      },
    };
  },
});
