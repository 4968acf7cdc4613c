/** `timezone` (community.general.timezone): /etc/localtime and /etc/timezone. */
import { sh } from '../transport/shell.ts';
import { type Change, defineModule } from './types.ts';

const exec = (summary: string, command: string): Change => ({ summary, action: { kind: 'exec', command } });

export const timezoneModule = defineModule<{ name: string }>({
  name: 'timezone',
  aliases: ['community.general.timezone'],
  schema: {
    type: 'object',
    properties: { name: { type: 'string', pattern: '^[A-Za-z0-9_+/-]+$' } },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const r = await ctx.probe(
      'readlink /etc/localtime 2>/dev/null; echo --; cat /etc/timezone 2>/dev/null || true',
    );
    const [link = '', file = ''] = r.stdout.split('--\n').map((s) => s.trim());
    const zone = `/usr/share/zoneinfo/${p.name}`;
    if (link.replace(/^\.\.\//, '/').endsWith(zone) && (file.trim() === '' || file.trim() === p.name))
      return { changes: [] };
    return {
      changes: [
        exec(
          `timezone ${link.replace(/.*zoneinfo\//, '') || '(unset)'} -> ${p.name}`,
          sh`test -e ${zone} && ln -sf ${zone} /etc/localtime && echo ${p.name} > /etc/timezone`,
        ),
      ],
    };
  },
});
