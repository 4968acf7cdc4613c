/**
 * ansible.posix.selinux and seboolean where SELinux is off in the running kernel (Debian's case,
 * and every host quorum's tests can reach): selinux edits the configuration file's SELINUX= and
 * SELINUXTYPE= lines as the collection's module edits them and reports what it reports (the
 * running policy read as libselinux reads /etc/selinux/config; "Reboot is required ..."),
 * seboolean fails as the module fails there. A host whose kernel runs SELinux, and
 * update_kernel_param with grubby present, fail with a plain "not supported": their runtime
 * calls (setenforce, the policy store) are not done by quorum, rather than guessed.
 */
import { pySplitLines } from '../py-splitlines.ts';
import { quote } from '../transport/shell.ts';
import { defineModule, type ModuleOutcome } from './types.ts';

interface SelinuxParams {
  state: 'enforcing' | 'permissive' | 'disabled';
  policy?: string;
  configfile?: string;
  update_kernel_param?: boolean;
}

const MARK = '--quorum-selinux--';
const ENABLED_PROBE = '[ -e /sys/fs/selinux/enforce ] && echo enabled';
const NOT_SUPPORTED =
  "SELinux is enabled in this host's kernel: quorum does not change a running SELinux (setenforce, the policy store); only its configuration file where SELinux is off";

/** The value of the first `KEY=` line, as get_config_state/get_config_policy read it. */
function configValue(lines: string[], key: string): string | undefined {
  const line = lines.find((l) => l.startsWith(`${key}=`));
  return line?.split('=')[1].trim();
}

/** libselinux's policy type from /etc/selinux/config: the last SELINUXTYPE= line, else targeted. */
function runningPolicy(config: string | undefined): string {
  let type = 'targeted';
  for (const line of (config ?? '').split('\n')) {
    const m = /^\s*SELINUXTYPE=(.*)$/.exec(line);
    if (m) type = m[1].trim();
  }
  return type;
}

/** set_config_state / set_config_policy: the line replaced where it is, else appended. */
function withLine(lines: string[], key: string, value: string): string {
  const out = lines.map((l) => (l.startsWith(`${key}=`) ? `${key}=${value}` : l));
  if (!lines.some((l) => l.startsWith(`${key}=`))) out.push(`${key}=${value}`);
  return out.map((l) => `${l}\n`).join('');
}

export const selinuxModule = defineModule<SelinuxParams>({
  name: 'selinux',
  aliases: ['ansible.posix.selinux'],
  paramAliases: { conf: 'configfile', file: 'configfile' },
  schema: {
    type: 'object',
    properties: {
      state: { enum: ['enforcing', 'permissive', 'disabled'] },
      policy: { type: 'string' },
      configfile: { type: 'string' },
      update_kernel_param: { type: 'boolean' },
    },
    required: ['state'],
    additionalProperties: false,
  },
  async plan(ctx, p): Promise<ModuleOutcome> {
    const configfile = p.configfile ?? '/etc/selinux/config';
    const r = await ctx.probe(
      [
        `${ENABLED_PROBE}; echo ${MARK}`,
        `cat /etc/selinux/config 2>/dev/null; echo ${MARK}`,
        `[ -f ${quote(configfile)} ] && { echo found; cat ${quote(configfile)}; }; echo ${MARK}`,
        p.update_kernel_param ? 'command -v grubby' : 'true',
      ].join('\n'),
    );
    const [enabled, system, config, grubby] = r.stdout.split(`${MARK}\n`);
    if (enabled.trim() === 'enabled') return { changes: [], failed: NOT_SUPPORTED };
    if (!config.startsWith('found\n')) return { changes: [], failed: `Unable to find file ${configfile}` };
    let lines = pySplitLines(config.slice('found\n'.length));
    if (p.update_kernel_param)
      return { changes: [], failed: grubby.trim() ? NOT_SUPPORTED : "'grubby' command not found on host" };
    const configPolicy = configValue(lines, 'SELINUXTYPE');
    const configState = configValue(lines, 'SELINUX');
    if (p.state !== 'disabled' && !p.policy)
      return { changes: [], failed: "Policy is required if state is not 'disabled'" };
    const policy = p.policy || configPolicy;
    const running = runningPolicy(system);
    const msgs: string[] = [];
    let text: string | undefined;
    // Python's words for a value that is not there
    const py = (v: string | undefined) => v ?? 'None';
    if (policy !== running) msgs.push(`Running SELinux policy changed from '${running}' to '${py(policy)}'`);
    if (policy !== configPolicy) {
      const has = await ctx.probe(`[ -e ${quote(`/etc/selinux/${policy}/policy`)} ]`);
      if (has.code !== 0) return { changes: [], failed: `Policy ${policy} does not exist in /etc/selinux/` };
      text = withLine(lines, 'SELINUXTYPE', String(policy));
      lines = pySplitLines(text);
      msgs.push(
        `SELinux policy configuration in '${configfile}' changed from '${configPolicy}' to '${policy}'`,
      );
    }
    // the kernel runs without SELinux: any other state waits for a reboot
    const rebootRequired = p.state !== 'disabled';
    if (p.state !== configState) {
      text = withLine(lines, 'SELINUX', p.state);
      msgs.push(`Config SELinux state changed from '${py(configState)}' to '${p.state}'`);
    }
    const result = {
      msg: msgs.join(', '),
      configfile,
      policy,
      state: p.state,
      reboot_required: rebootRequired,
    };
    const message = rebootRequired ? `Reboot is required to set SELinux state to '${p.state}'` : undefined;
    if (!msgs.length) return { changes: [], result, message };
    // a change of the running policy alone is the module's report, with nothing to write
    const action =
      text === undefined
        ? { kind: 'exec' as const, command: 'true' }
        : { kind: 'write' as const, path: configfile, content: text };
    return { changes: [{ summary: msgs.join(', '), action }], result, message };
  },
});

interface SebooleanParams {
  name: string;
  state: boolean;
  persistent?: boolean;
  ignore_selinux_state?: boolean;
}

export const sebooleanModule = defineModule<SebooleanParams>({
  name: 'seboolean',
  aliases: ['ansible.posix.seboolean'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      state: { type: 'boolean' },
      persistent: { type: 'boolean' },
      ignore_selinux_state: { type: 'boolean' },
    },
    required: ['name', 'state'],
    additionalProperties: false,
  },
  async plan(ctx, p): Promise<ModuleOutcome> {
    const r = await ctx.probe(`${ENABLED_PROBE}; true`);
    if (r.stdout.trim() !== 'enabled' && !p.ignore_selinux_state)
      return { changes: [], failed: 'SELinux is disabled on this host.' };
    return {
      changes: [],
      failed:
        'quorum does not change SELinux booleans (setsebool, the policy store): only where SELinux is off does it answer, as the module does',
    };
  },
});
