/**
 * `iptables`: one rule, a chain's policy, a chain, or a flush, as ansible-core 2.19's module does
 * it (modules/iptables.py main): `iptables -C` says whether the rule is there (the module's own
 * probe), `-L CHAIN` the policy and whether the chain exists; a change is the module's -A, -I,
 * -D, -P, -N, -X or -F command. `ip_version: both` does each for iptables and ip6tables. Nothing
 * is saved: like the module, the rules last until the next boot. A converged run is one probe.
 * `wait` is passed as given: the module drops it only for iptables older than 1.6 (2016).
 */
import { quote } from '../transport/shell.ts';
import { constructRule, type IptablesParams, LIST_PARAMS, TEXT_PARAMS } from './iptables-rule.ts';
import { type Change, defineModule } from './types.ts';

const LOG_LEVELS = '0 1 2 3 4 5 6 7 emerg alert crit error warning notice info debug'.split(' ');
const text = { anyOf: [{ type: 'string' }, { type: 'number' }] };
const list = { type: 'array', items: text };

/** The parameters as AnsibleModule hands them over: numbers as text, lists as text lists. */
function asModuleParams(p: IptablesParams): IptablesParams {
  const out: Record<string, unknown> = { ...p };
  for (const k of TEXT_PARAMS) if (out[k] !== undefined && out[k] !== null) out[k] = String(out[k]);
  for (const k of LIST_PARAMS) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map(String);
  return out as IptablesParams;
}

/** push_arguments: `BIN -t TABLE ACTION CHAIN [rule_num] [-w wait] [rule...]` as a shell line. */
function command(bin: string, action: string, p: IptablesParams, rule: string[] | undefined): string {
  const words = [bin, '-t', p.table ?? 'filter', action, p.chain ?? ''];
  if (action === '-I' && p.rule_num) words.push(p.rule_num);
  if (p.wait) words.push('-w', p.wait);
  if (rule) words.push(...rule);
  return words.map((w) => quote(w)).join(' ');
}

export const iptablesModule = defineModule<IptablesParams>({
  name: 'iptables',
  schema: {
    type: 'object',
    properties: {
      table: { enum: ['filter', 'nat', 'mangle', 'raw', 'security'] },
      state: { enum: ['present', 'absent'] },
      action: { enum: ['append', 'insert'] },
      ip_version: { enum: ['ipv4', 'ipv6', 'both'] },
      ...Object.fromEntries(TEXT_PARAMS.map((k) => [k, text])),
      ...Object.fromEntries(LIST_PARAMS.map((k) => [k, list])),
      match_set_flags: { enum: ['src', 'dst', 'src,dst', 'dst,src', 'src,src', 'dst,dst'] },
      tcp_flags: {
        type: 'object',
        properties: { flags: list, flags_set: list },
        additionalProperties: false,
      },
      syn: { enum: ['ignore', 'match', 'negate'] },
      flush: { type: 'boolean' },
      policy: { enum: ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'] },
      chain_management: { type: 'boolean' },
      numeric: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  async plan(ctx, params) {
    const p = asModuleParams(params);
    /** AnsibleModule's argument checks: the task's fault in a check run too. */
    const bad = (msg: string) => ({ changes: [], failed: msg, failedOnInput: true as const });
    if (p.set_dscp_mark !== undefined && p.set_dscp_mark_class !== undefined)
      return bad('parameters are mutually exclusive: set_dscp_mark|set_dscp_mark_class');
    if (p.flush && p.policy !== undefined) return bad('parameters are mutually exclusive: flush|policy');
    if ((p.set_dscp_mark !== undefined || p.set_dscp_mark_class !== undefined) && p.jump === undefined)
      return bad(
        `missing parameter(s) required by '${p.set_dscp_mark !== undefined ? 'set_dscp_mark' : 'set_dscp_mark_class'}': jump`,
      );
    if (p.jump?.toLowerCase() === 'tee' && p.gateway === undefined)
      return bad(`jump is ${p.jump} but all of the following are missing: gateway`);
    if (!p.flush && p.chain === undefined)
      return bad('flush is False but all of the following are missing: chain');
    if (p.flush && p.chain === undefined)
      return bad('iptables: flush without a chain is not supported (name the chain)');
    if (p.log_level !== undefined && !LOG_LEVELS.includes(p.log_level))
      return bad(`value of log_level must be one of: ${LOG_LEVELS.join(', ')}, got: ${p.log_level}`);
    const state = p.state ?? 'present';
    const ruleText = constructRule(p).join(' ');
    const result = {
      ip_version: p.ip_version ?? 'ipv4',
      table: p.table ?? 'filter',
      chain: p.chain ?? null,
      flush: p.flush ?? false,
      rule: ruleText,
      state,
      chain_management: p.chain_management ?? false,
      wait: p.wait ?? null,
    };
    // logging options make the jump LOG after the registered rule was taken, as in the module
    if (p.log_prefix !== undefined || p.log_level !== undefined) {
      if (p.jump === undefined) p.jump = 'LOG';
      else if (p.jump !== 'LOG') return bad('Logging options can only be used with the LOG jump target.');
    }
    const rule = constructRule(p);
    const bins =
      p.ip_version === 'both'
        ? ['iptables', 'ip6tables']
        : [p.ip_version === 'ipv6' ? 'ip6tables' : 'iptables'];
    const list = (bin: string) => `${command(bin, '-L', p, undefined)}${p.numeric ? ' --numeric' : ''}`;
    const probes = bins.map((bin) => {
      const check = p.flush
        ? 'true'
        : p.policy !== undefined
          ? `${list(bin)} 2>&1 | head -n 1`
          : ruleText === ''
            ? `${list(bin)} >/dev/null 2>&1`
            : `${command(bin, '-C', p, rule)} >/dev/null 2>&1`;
      return `command -v ${bin} >/dev/null || { echo "missing ${bin}"; exit 0; }; ${check}; echo "rc $?"`;
    });
    const r = await ctx.probe(probes.join('\n'));
    const missing = /^missing (\S+)$/m.exec(r.stdout);
    if (missing) return { changes: [], failed: `Failed to find required executable "${missing[1]}"` };
    const answers = r.stdout.split(/^rc \d+$/m).slice(0, bins.length);
    const codes = [...r.stdout.matchAll(/^rc (\d+)$/gm)].map((m) => Number(m[1]));
    const changes: Change[] = [];
    for (const [i, bin] of bins.entries()) {
      const exec = (summary: string, cmd: string) =>
        changes.push({ summary, action: { kind: 'exec', command: cmd } });
      if (p.flush) exec(`${bin}: flush ${p.chain}`, command(bin, '-F', p, undefined));
      else if (p.policy !== undefined) {
        const current = /\(policy ([A-Z]+)\)/.exec(answers[i])?.[1];
        if (!current) return { changes: [], failed: "Can't detect current policy" };
        if (current !== p.policy)
          exec(
            `${bin}: policy of ${p.chain} ${current} -> ${p.policy}`,
            `${command(bin, '-P', p, undefined)} ${p.policy}`,
          );
      } else if (ruleText === '') {
        // the module reports the change even when chain_management is off, and then does nothing
        const present = codes[i] === 0;
        if (state === 'absent' && present)
          exec(
            `${bin}: delete chain ${p.chain}`,
            p.chain_management ? command(bin, '-X', p, undefined) : ':',
          );
        if (state === 'present' && !present)
          exec(
            `${bin}: create chain ${p.chain}`,
            p.chain_management ? command(bin, '-N', p, undefined) : ':',
          );
      } else {
        const present = codes[i] === 0;
        if (present !== (state === 'present'))
          exec(
            `${bin}: ${state === 'present' ? 'add' : 'remove'} in ${p.chain}: ${rule.join(' ')}`,
            command(bin, state === 'absent' ? '-D' : p.action === 'insert' ? '-I' : '-A', p, rule),
          );
      }
    }
    return { changes, result };
  },
});
