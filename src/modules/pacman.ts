/**
 * `pacman`: Arch Linux packages, what is installed compared with what is asked, in one probe.
 * The commands are community.general.pacman's (12.0.0): `force` removes with --nodeps --nodeps
 * and refreshes the databases with --refresh --refresh; `extra_args` go to install and remove,
 * `update_cache_extra_args` to the refresh; `remove_nosave` adds --nosave. Not proven here (no
 * Arch Linux host): the commands follow the module's source.
 */
import { sh } from '../transport/shell.ts';
import { NAMES } from './pip.ts';
import { type Change, defineModule } from './types.ts';

const exec = (summary: string, command: string): Change => ({ summary, action: { kind: 'exec', command } });

interface PacmanParams {
  name: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache?: boolean;
  force?: boolean;
  extra_args?: string;
  update_cache_extra_args?: string;
  remove_nosave?: boolean;
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
      force: { type: 'boolean' },
      extra_args: { type: 'string' },
      update_cache_extra_args: { type: 'string' },
      remove_nosave: { type: 'boolean' },
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
    const extra = p.extra_args ? ` ${p.extra_args}` : '';
    if (p.update_cache)
      changes.push(
        exec(
          'refresh the package databases',
          `pacman --sync --refresh${p.update_cache_extra_args ? ` ${p.update_cache_extra_args}` : ''}${p.force ? ' --refresh' : ''}`,
        ),
      );
    if (state === 'absent') {
      const present = names.filter((n) => installed.has(n));
      if (present.length)
        changes.push(
          exec(
            `remove ${present.join(', ')}`,
            `pacman --remove --noconfirm --noprogressbar${extra}${p.force ? ' --nodeps --nodeps' : ''}${p.remove_nosave ? ' --nosave' : ''} ${sh`${present}`}`,
          ),
        );
    } else {
      const todo = state === 'latest' ? names : names.filter((n) => !installed.has(n));
      if (todo.length)
        changes.push(
          exec(
            `install ${todo.join(', ')}`,
            `pacman --noconfirm --noprogressbar --needed --sync${extra} ${sh`${todo}`}`,
          ),
        );
    }
    return { changes, unpredictable: state === 'latest' || undefined };
  },
});
