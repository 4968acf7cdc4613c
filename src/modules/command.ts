/**
 * `command` and `shell`. Unguarded they always change (and in check mode are flagged
 * unpredictable: nobody can know what they would do); `creates` / `removes` make them
 * idempotent guards, probed read-only.
 */

import { shlexSplit } from '../inventory/shlex.ts';
import { sh } from '../transport/shell.ts';
import { defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

export interface CommandParams {
  cmd?: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
}

const schema = {
  type: 'object',
  properties: {
    cmd: { type: 'string', minLength: 1 },
    argv: { type: 'array', items: { type: 'string' }, minItems: 1 },
    chdir: { type: 'string' },
    creates: { type: 'string' },
    removes: { type: 'string' },
    stdin: { type: 'string' },
    executable: { type: 'string' },
  },
  oneOf: [{ required: ['cmd'] }, { required: ['argv'] }],
  additionalProperties: false,
};

/** As `test -e`: a link counts when what it points to exists. */
async function exists(ctx: ProbeContext, path: string): Promise<boolean> {
  const state = await ctx.probePath(path);
  return state.kind !== 'absent' && !(state.kind === 'link' && state.dangling);
}

/** The outcome of a command (or script) its `creates` / `removes` guard stops, or undefined when it runs. */
export async function stoppedByGuard(
  ctx: ProbeContext,
  p: { creates?: string; removes?: string },
  /** command and shell: the result in the words of Ansible's command module, with its cmd. */
  cmd?: unknown,
): Promise<ModuleOutcome | undefined> {
  const stopped = (path: string, state: string) => {
    const why = `${path} ${state}`;
    if (cmd === undefined)
      return { changes: [], result: { skipped_reason: why, rc: 0, stdout: '', stderr: '' } };
    const stdout = `skipped, since ${why}`;
    return {
      changes: [],
      result: {
        cmd,
        ...{ start: null, end: null, delta: null, rc: 0, stderr: '', stderr_lines: [] },
        msg: `Did not run command since '${path}' ${state}`,
        stdout,
        stdout_lines: [stdout],
      },
    };
  };
  if (p.creates && (await exists(ctx, p.creates))) return stopped(p.creates, 'exists');
  if (p.removes && !(await exists(ctx, p.removes))) return stopped(p.removes, 'does not exist');
  return undefined;
}

/** Runs `command` unless its guard stops it; `cmd` is what Ansible registers as the command. */
async function guarded(
  ctx: ProbeContext,
  p: CommandParams,
  command: string,
  cmd: unknown,
): Promise<ModuleOutcome> {
  const stopped = await stoppedByGuard(ctx, p, cmd);
  if (stopped) return stopped;
  const full = p.chdir ? `cd ${sh`${p.chdir}`} && ${command}` : command;
  return {
    changes: [
      {
        summary: `run: ${p.cmd ?? p.argv?.join(' ')}`,
        action: { kind: 'exec', command: full, stdin: p.stdin },
      },
    ],
    unpredictable: !p.creates && !p.removes,
    producesOutput: true,
    result: { cmd },
  };
}

export const commandModule = defineModule<CommandParams>({
  name: 'command',
  freeForm: 'cmd',
  schema,
  plan(ctx, p) {
    // no shell: the words are quoted one by one, so `;` or `$x` stay literal as in Ansible
    const argv = p.argv ?? shlexSplit(p.cmd ?? '');
    return guarded(ctx, p, sh`${argv}`, argv);
  },
});

export const shellModule = defineModule<CommandParams>({
  name: 'shell',
  freeForm: 'cmd',
  schema,
  plan(ctx, p) {
    return guarded(ctx, p, p.cmd ?? sh`${p.argv ?? []}`, p.cmd ?? p.argv);
  },
});
