/** Kernel settings: `modprobe` (modules-load.d) and `swap`; `sysctl` is in sysctl.ts. */
export { type SysctlParams, sysctlModule } from './sysctl.ts';

import { sh } from '../transport/shell.ts';
import { contentChanges } from './content.ts';
import { type Change, defineModule } from './types.ts';

/** A text as a literal inside a regular expression. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Read-only tests for what common modules provide, for kernels that build them in. */
const FEATURE_PROBES: Record<string, string> = {
  overlay: 'grep -qw overlay /proc/filesystems',
  br_netfilter: 'test -d /proc/sys/net/bridge',
  ip_vs: 'test -e /proc/net/ip_vs',
  nf_conntrack: 'test -e /proc/sys/net/netfilter/nf_conntrack_max',
};

export interface ModprobeParams {
  name: string;
  state?: 'present' | 'absent';
  persistent?: 'present' | 'absent' | 'disabled';
}

export const modprobeModule = defineModule<ModprobeParams>({
  name: 'modprobe',
  aliases: ['community.general.modprobe'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
      state: { enum: ['present', 'absent'] },
      persistent: { enum: ['present', 'absent', 'disabled'] },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const state = p.state ?? 'present';
    const mod = p.name.replace(/-/g, '_');
    // loaded, or built into the kernel: either way the feature is there. Kernels without
    // module support (no /proc/modules) only have built-ins; some built-ins leave no trace in
    // /sys/module, so well-known ones are recognised by the feature they provide.
    const feature = FEATURE_PROBES[mod] ? `|| ${FEATURE_PROBES[mod]}` : '';
    const { kernel } = await ctx.facts();
    const probe = await ctx.probe(
      `if grep -q ${sh`${`^${mod} `}`} /proc/modules 2>/dev/null; then echo loaded; elif [ -d ${sh`${`/sys/module/${mod}`}`} ] || grep -qs ${sh`${`/${p.name}.ko`}`} ${sh`${`/lib/modules/${kernel}/modules.builtin`}`} ${feature}; then echo builtin; elif [ ! -e /proc/modules ]; then echo unsupported; else echo absent; fi`,
    );
    const status = probe.stdout.trim();
    const changes: Change[] = [];
    if (state === 'present' && status === 'unsupported') {
      return { changes: [], failed: `${p.name} is not built into this kernel, which cannot load modules` };
    }
    if (state === 'present' && status === 'absent') {
      changes.push({
        summary: `load kernel module ${p.name}`,
        action: { kind: 'exec', command: sh`modprobe ${p.name}` },
      });
    }
    if (state === 'absent' && status === 'loaded') {
      changes.push({
        summary: `unload kernel module ${p.name}`,
        action: { kind: 'exec', command: sh`modprobe -r ${p.name}` },
      });
    }
    const persist = p.persistent ?? 'disabled';
    if (persist !== 'disabled') {
      const file = `/etc/modules-load.d/${p.name}.conf`;
      const st = await ctx.probePath(file, { content: true });
      if (persist === 'present') changes.push(...contentChanges(file, st, `${p.name}\n`, {}));
      else if (st.kind !== 'absent')
        changes.push({ summary: `remove ${file}`, action: { kind: 'exec', command: sh`rm -f ${file}` } });
    }
    return { changes };
  },
});

export const swapModule = defineModule<{ state: 'off' }>({
  name: 'swap',
  schema: {
    type: 'object',
    properties: { state: { const: 'off' } },
    required: ['state'],
    additionalProperties: false,
  },
  async plan(ctx) {
    const changes: Change[] = [];
    const swaps = await ctx.probe('cat /proc/swaps 2>/dev/null | tail -n +2');
    const active = swaps.stdout.split('\n').filter((l) => l.trim() !== '');
    if (active.length) {
      changes.push({
        summary: `swapoff ${active.map((l) => l.split(/\s+/)[0]).join(', ')}`,
        action: { kind: 'exec', command: 'swapoff -a' },
      });
    }
    const fstab = await ctx.probePath('/etc/fstab', { content: true });
    if (fstab.kind === 'file') {
      const lines = (fstab.content ?? '').split('\n');
      const edited = lines.map((l) => (/^\s*[^#\s]+\s+\S+\s+swap\s/.test(l) ? `# ${l}` : l)).join('\n');
      changes.push(...contentChanges('/etc/fstab', fstab, edited, {}));
    }
    return { changes };
  },
});
