/**
 * ansible.posix.firewalld through the host's running firewalld (firewall-cmd), with the
 * collection's transaction logic (module_utils/firewalld.py): one thing per task (a service, a
 * port, a source ...) in a zone (the default zone unless named), enabled or disabled in the
 * permanent configuration, the running one (immediate), or both; zone targets and zones
 * themselves permanent only. What is there is read with firewall-cmd's queries; the change is the
 * module's set calls as firewall-cmd commands, its messages its words. firewalld not running
 * fails as the module fails; `offline: true` (firewall-offline-cmd) is not done by quorum.
 */
import { quote } from '../transport/shell.ts';
import {
  checkFirewalld,
  type FirewalldParams,
  FW_ERROR,
  firewalldKind,
  SERVICE_HINT,
} from './firewalld-params.ts';
import { defineModule, type ModuleOutcome } from './types.ts';

const MARK = '--quorum-firewalld--';
const NOT_PERMANENT =
  "Zone operations must be permanent. Make sure you didn't set the 'permanent' flag to 'false' or the 'immediate' flag to 'true'.";

/** Python's str() of a value in the module's messages. */
const py = (v: unknown) => (v === true ? 'True' : v === false ? 'False' : String(v));

export const firewalldModule = defineModule<FirewalldParams>({
  name: 'firewalld',
  aliases: ['ansible.posix.firewalld'],
  schema: {
    type: 'object',
    properties: {
      ...Object.fromEntries(
        ['icmp_block', 'service', 'protocol', 'port', 'rich_rule', 'zone', 'source', 'interface'].map((k) => [
          k,
          { type: 'string' },
        ]),
      ),
      ...Object.fromEntries(
        ['icmp_block_inversion', 'immediate', 'permanent', 'forward', 'masquerade', 'offline'].map((k) => [
          k,
          { type: 'boolean' },
        ]),
      ),
      port_forward: {
        type: 'array',
        items: {
          type: 'object',
          properties: { port: {}, proto: { type: 'string' }, toport: {}, toaddr: { type: 'string' } },
        },
      },
      state: { enum: ['absent', 'disabled', 'enabled', 'present'] },
      timeout: { type: 'integer' },
      target: { enum: ['default', 'ACCEPT', 'DROP', '%%REJECT%%'] },
    },
    required: ['state'],
    additionalProperties: false,
  },
  check: (p) => checkFirewalld(p),
  async plan(ctx, p): Promise<ModuleOutcome> {
    const kind = firewalldKind(p);
    const permanent = p.permanent ?? false;
    // immediate defaults to true if permanent is not enabled
    const immediate = p.immediate || !permanent;
    const zoneLevel = kind.type === 'zone' || kind.type === 'target';
    const state = p.state;
    const head = await ctx.probe(
      [
        `command -v firewall-cmd >/dev/null || { echo ${MARK}missing; exit 0; }`,
        `firewall-cmd --state >/dev/null 2>&1 || { echo ${MARK}stopped; exit 0; }`,
        p.zone ? `printf '%s\\n' ${quote(p.zone)}` : 'firewall-cmd --get-default-zone',
      ].join('\n'),
    );
    if (head.stdout.startsWith(`${MARK}missing`))
      return { changes: [], failed: 'Failed to import the required Python library (firewall)' };
    if (head.stdout.startsWith(`${MARK}stopped`))
      return {
        changes: [],
        failed: p.offline
          ? 'quorum does not edit firewalld offline (firewall-offline-cmd): start firewalld'
          : 'firewalld service must be running, or try with offline=true',
      };
    const zone = head.stdout.trim();
    const modeMsg =
      immediate && permanent
        ? 'Permanent and Non-Permanent(immediate) operation'
        : permanent
          ? 'Permanent operation'
          : 'Non-permanent operation';
    if (zoneLevel && immediate) return { changes: [], failed: NOT_PERMANENT };
    if (kind.type === 'none') return { changes: [], result: { msg: '' } };
    const cmd = (perm: boolean, rest: string) =>
      `firewall-cmd${perm ? ' --permanent' : ''}${kind.zoneless ? '' : ` --zone=${quote(zone)}`} ${rest}`;
    /** Is it there, permanently or in the running firewall: firewall-cmd's query (0 yes, 1 no). */
    const isOn = async (perm: boolean): Promise<boolean | string> => {
      if (kind.type === 'zone') {
        const r = await ctx.probe('firewall-cmd --permanent --get-zones 2>&1');
        return r.stdout.trim().split(/\s+/).includes(zone);
      }
      if (kind.type === 'target') {
        const r = await ctx.probe(`${cmd(true, '--get-target')} 2>&1`);
        return r.code === 0
          ? r.stdout.trim() === kind.value
          : `${FW_ERROR}${r.stdout.trim().replace(/^Error: /, '')}`;
      }
      const r = await ctx.probe(
        `${cmd(perm, `--query-${kind.option}${kind.value === undefined ? '' : `=${quote(kind.value)}`}`)} 2>&1`,
      );
      if (r.code === 0) return true;
      if (r.code === 1) return false;
      // a zone that is not there fails the query, as the module's does; a value firewalld does
      // not know is not in the zone (the module asks for the zone's list), and adding it fails
      const error = r.stdout.trim().replace(/^Error: /, '');
      return /INVALID_ZONE|NOT_RUNNING|ZONE_CONFLICT/.test(error) ? `${FW_ERROR}${error}` : false;
    };
    const wantOn = kind.enabledValues.includes(kind.desired(state));
    const wantOff = kind.disabledValues.includes(kind.desired(state));
    const sides = [...(permanent ? [true] : []), ...(immediate ? [false] : [])];
    const now = new Map<boolean, boolean>();
    for (const perm of sides) {
      const on = await isOn(perm);
      if (typeof on === 'string') return { changes: [], failed: on };
      now.set(perm, on);
    }
    const commands: string[] = [];
    for (const perm of sides) {
      if (wantOn && !now.get(perm)) commands.push(cmd(perm, kind.enable(perm, p.timeout)));
      if (wantOff && now.get(perm)) commands.push(cmd(perm, kind.disable(perm)));
    }
    const changed = commands.length > 0;
    const msgs = [modeMsg];
    if (changed && wantOn && kind.enabledMsg) msgs.push(kind.enabledMsg(zone));
    if (changed && wantOff && kind.disabledMsg) msgs.push(kind.disabledMsg(zone));
    if (changed && kind.changedMsg) msgs.push(kind.changedMsg(state, py));
    const result = { msg: msgs.join(', ') };
    if (!changed) return { changes: [], result };
    // a failed set call: firewalld's words, then the messages the module had so far (its mode,
    // and its hint for a service firewalld does not know)
    const run = commands.map(
      (c) =>
        `out=$(${c} 2>&1) || { case "$out" in *INVALID_SERVICE*) hint=${quote(`, ${SERVICE_HINT}`)};; *) hint=;; esac; printf '%s\\n' "${FW_ERROR}\${out#Error: } ${modeMsg}$hint" >&2; exit 1; }`,
    );
    return {
      changes: [
        { summary: result.msg, action: { kind: 'exec', command: run.join('\n'), errorFromStderr: true } },
      ],
      result,
    };
  },
});
