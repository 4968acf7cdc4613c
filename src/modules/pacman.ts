/** `pacman`: Arch Linux packages, what is installed compared with what is asked, in one probe. */
import { sh } from '../transport/shell.ts';
import { NAMES } from './pip.ts';
import { type Change, defineModule } from './types.ts';

const exec = (summary: string, command: string): Change => ({ summary, action: { kind: 'exec', command } });

interface PacmanParams {
  name: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache?: boolean;
}

export const pacmanModule = defineModule<PacmanParams>({
  name: 'pacman',
  aliases: ['community.general.pacman'],
  schema: {
    type: 'object',
    properties: {
      name: NAMES,
      state: { enum: ['present', 'absent', 'latest', 'installed', 'removed'] },
      update_cache: { type: 'boolean' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const names = [p.name].flat();
    const r = await ctx.probe(`pacman -Q ${sh`${names}`} 2>/dev/null || true`);
    const installed = new Set(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    );
    const state =
      p.state === 'installed' ? 'present' : p.state === 'removed' ? 'absent' : (p.state ?? 'present');
    const changes: Change[] = [];
    if (p.update_cache) changes.push(exec('refresh the package databases', 'pacman -Sy --noconfirm'));
    if (state === 'absent') {
      const present = names.filter((n) => installed.has(n));
      if (present.length)
        changes.push(exec(`remove ${present.join(', ')}`, `pacman -R --noconfirm ${sh`${present}`}`));
    } else {
      const todo = state === 'latest' ? names : names.filter((n) => !installed.has(n));
      if (todo.length)
        changes.push(exec(`install ${todo.join(', ')}`, `pacman -S --noconfirm --needed ${sh`${todo}`}`));
    }
    return { changes, unpredictable: state === 'latest' || undefined };
  },
});
