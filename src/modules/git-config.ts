/**
 * `community.general.git_config`: one git setting present or absent, as the collection's module
 * (community.general 11, in ansible 12.0.0) does it: `git config --includes [scope] --get-all
 * NAME` is the probe, `--replace-all` (or `--add`) and `--unset-all` the change; system scope
 * unless told, run from `/` (the repository for local scope) so no other repository's settings
 * are read. Registers `msg` and the module's diff. A converged run is one probe.
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface GitConfigParams {
  name: string;
  repo?: string;
  file?: string;
  add_mode?: 'add' | 'replace-all';
  scope?: 'file' | 'local' | 'global' | 'system';
  state?: 'present' | 'absent';
  value?: unknown;
}

/** The module's build_diff_value. */
const diffValue = (values: string[]) =>
  values.length === 0 ? '\n' : values.length === 1 ? `${values[0]}\n` : values;

export const gitConfigModule = defineModule<GitConfigParams>({
  name: 'git_config',
  aliases: ['community.general.git_config'],
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      repo: { type: 'string' },
      file: { type: 'string' },
      add_mode: { enum: ['add', 'replace-all'] },
      scope: { enum: ['file', 'local', 'global', 'system'] },
      state: { enum: ['present', 'absent'] },
      value: {},
    },
    required: ['name'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const fail = (msg: string) => ({ changes: [], failed: msg, failedOnInput: true as const });
    const state = p.state ?? 'present';
    if (p.scope === 'local' && p.repo === undefined)
      return fail('scope is local but all of the following are missing: repo');
    if (p.scope === 'file' && p.file === undefined)
      return fail('scope is file but all of the following are missing: file');
    if (state === 'present' && (p.value === undefined || p.value === null))
      return fail('state is present but all of the following are missing: value');
    if (p.value !== undefined && p.value !== null && typeof p.value !== 'string')
      // the module compares the value as given with git's text, so a YAML number or boolean
      // would change at every run (and then fail building its diff): quote it
      return fail(`git_config: value ${JSON.stringify(p.value)} must be text (quote it in YAML)`);
    const unset = state === 'absent';
    const value = (p.value as string | undefined) ?? '';
    if (!unset && !value)
      return fail(
        'If state=present, a value must be specified. Use the community.general.git_config_info module to read a config value.',
      );
    const scope = p.scope ?? 'system';
    const cwd = scope === 'local' ? (p.repo as string) : '/';
    const base = [
      'git',
      'config',
      '--includes',
      ...(scope === 'file' ? ['-f', p.file as string] : [`--${scope}`]),
    ];
    const inCwd = (words: string[]) =>
      `cd ${sh`${cwd}`} && LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C ${sh`${words}`}`;
    // git's path first (the module's headers name it), then the values set
    const r = await ctx.probe(
      `g=$(command -v git) || exit 127; echo "$g"; ${inCwd([...base, '--get-all', p.name])}`,
    );
    if (r.code === 127 && r.stdout === '')
      return { changes: [], failed: 'Failed to find required executable "git" in paths' };
    const [git, ...lines] = r.stdout.split('\n');
    const out = lines.join('\n');
    const rc = r.code;
    if (rc >= 2) return { changes: [], failed: r.stderr || `git config exited ${rc}` };
    const old = out.trimEnd() === '' ? [] : out.trimEnd().split(/\r?\n/);
    if (unset && !out) return { changes: [], result: { msg: 'no setting to unset' } };
    if (!unset && old.includes(value) && (old.length === 1 || p.add_mode === 'add'))
      return { changes: [], result: { msg: '' } };
    const addMode = p.add_mode ?? 'replace-all';
    const set = unset ? [...base, '--unset-all', p.name] : [...base, `--${addMode}`, p.name, value];
    const after = unset ? [] : addMode === 'add' ? [...old, value] : [value];
    // the module's headers name git by its path
    const header = [git, ...set.slice(1)].join(' ');
    return {
      changes: [
        {
          summary: `${header} (was ${old.length ? old.join(', ') : 'unset'})`,
          diff: { path: header, before: old.join('\n'), after: after.join('\n') },
          action: { kind: 'exec', command: inCwd(set), errorFromStderr: true },
        },
      ],
      result: {
        msg: 'setting changed',
        diff: {
          before_header: header,
          before: diffValue(old),
          after_header: header,
          after: diffValue(after),
        },
      },
    };
  },
});
