/**
 * community.general's `kernel_blacklist` (ansible 12.0.0, plugins/modules/kernel_blacklist.py):
 * `name` listed as `blacklist NAME` in `blacklist_file` (/etc/modprobe.d/blacklist-ansible.conf)
 * or not, `state` present / absent. Its ways kept: a commented line does not count; a change
 * writes the file's lines back without their trailing blanks; a missing file is made (empty
 * when nothing is added) and counts as a change. Registers `filename`, `is_blacklisted`, `lines`,
 * `name`, `state` as the module does. The module makes a missing file in check mode too; quorum's
 * check run predicts it.
 */
import { contentChanges } from './content.ts';
import { defineModule } from './types.ts';

interface KernelBlacklistParams {
  name: string;
  state?: 'present' | 'absent';
  blacklist_file?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const kernelBlacklistModule = defineModule<KernelBlacklistParams>({
  name: 'kernel_blacklist',
  aliases: ['community.general.kernel_blacklist'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      state: { enum: ['present', 'absent'] },
      blacklist_file: { type: 'string' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const file = p.blacklist_file ?? '/etc/modprobe.d/blacklist-ansible.conf';
    const present = (p.state ?? 'present') === 'present';
    const state = await ctx.probePath(file, { content: true });
    if (state.kind !== 'absent' && state.kind !== 'file')
      return { changes: [], failed: `${file} is a ${state.kind}, not a file` };
    // Python's readlines in text mode (any newline), each line rstripped
    const text = state.kind === 'file' ? (state.content ?? '') : '';
    const lines =
      text === ''
        ? []
        : text
            .replace(/\r\n?/g, '\n')
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => l.trimEnd());
    const pattern = new RegExp(`^blacklist\\s+${escapeRegExp(p.name)}$`);
    const listed = (line: string) => pattern.test(line.trim());
    const blocked = lines.some((l) => !l.trim().startsWith('#') && listed(l));
    const after =
      present && !blocked
        ? [...lines, `blacklist ${p.name}`]
        : !present && blocked
          ? lines.filter((l) => !listed(l))
          : lines;
    const result = {
      filename: file,
      is_blacklisted: present,
      lines: after,
      name: p.name,
      state: p.state ?? 'present',
    };
    if (state.kind === 'file' && after === lines) return { changes: [], result };
    return { changes: contentChanges(file, state, after.map((l) => `${l}\n`).join(''), {}), result };
  },
});
