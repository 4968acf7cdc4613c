/**
 * `pip`: Python packages through the host's pip (pip3 unless `executable` says): what is
 * installed compared with what is asked, in one probe.
 */
import { shlexSplit } from '../inventory/shlex.ts';
import { sh } from '../transport/shell.ts';
import { type Change, defineModule } from './types.ts';

/** One name or a list of them. */
export const NAMES = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string' }, minItems: 1 },
  ],
};

interface PipParams {
  name: string | string[];
  state?: 'present' | 'absent' | 'latest' | 'forcereinstall';
  version?: string;
  executable?: string;
  extra_args?: string;
  virtualenv?: string;
}

const exec = (summary: string, command: string): Change => ({ summary, action: { kind: 'exec', command } });

export const pipModule = defineModule<PipParams>({
  name: 'pip',
  schema: {
    type: 'object',
    properties: {
      name: NAMES,
      state: { enum: ['present', 'absent', 'latest', 'forcereinstall'] },
      version: { type: 'string' },
      executable: { type: 'string' },
      extra_args: { type: 'string' },
      virtualenv: { type: 'string' },
    },
    required: ['name'],
    additionalProperties: false,
  },
  check(p) {
    return p.virtualenv ? ["pip: virtualenv is not supported (give the virtualenv's pip as executable)"] : [];
  },
  async plan(ctx, p) {
    const pip = p.executable ?? 'pip3';
    const names = [p.name].flat();
    const r = await ctx.probe(`${sh`${pip}`} list --format=freeze 2>/dev/null`);
    if (r.code !== 0) return { changes: [], failed: `${pip} is not usable on ${ctx.host} (exit ${r.code})` };
    const installed = new Map(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const [n, v] = l.split('==');
          return [n.toLowerCase().replace(/_/g, '-'), v] as [string, string];
        }),
    );
    const key = (n: string) =>
      n
        .split(/[<>=!~[]/)[0]
        .toLowerCase()
        .replace(/_/g, '-');
    // words as Ansible splits them (shlex), each quoted: never shell syntax
    let extra = '';
    try {
      extra = p.extra_args ? ` ${sh`${shlexSplit(p.extra_args)}`}` : '';
    } catch (e) {
      return { changes: [], failed: `extra_args: ${(e as Error).message}` };
    }
    const state = p.state ?? 'present';
    if (state === 'absent') {
      const present = names.filter((n) => installed.has(key(n)));
      return {
        changes: present.length
          ? [exec(`uninstall ${present.join(', ')}`, `${sh`${pip}`} uninstall -y ${sh`${present.map(key)}`}`)]
          : [],
      };
    }
    const spec = (n: string) => (p.version ? `${n}==${p.version}` : n);
    const todo =
      state === 'present'
        ? names.filter(
            (n) => !installed.has(key(n)) || (p.version !== undefined && installed.get(key(n)) !== p.version),
          )
        : names;
    if (todo.length === 0) return { changes: [] };
    const flag = state === 'latest' ? ' --upgrade' : state === 'forcereinstall' ? ' --force-reinstall' : '';
    // latest cannot be known without asking the index: a prediction
    return {
      changes: [
        exec(
          `${state === 'latest' ? 'upgrade' : 'install'} ${todo.join(', ')}`,
          `${sh`${pip}`} install${flag}${extra} ${sh`${todo.map(spec)}`}`,
        ),
      ],
      unpredictable: state !== 'present',
    };
  },
});
