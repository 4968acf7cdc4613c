/**
 * `command` and `shell`, as ansible-core 2.19's command module runs them (command-words.ts).
 * Unguarded they always change (and in check mode are flagged unpredictable: nobody can know
 * what they would do); `creates` / `removes` make them idempotent guards, probed read-only.
 */

import { shlexSplit } from '../inventory/shlex.ts';
import { sh } from '../transport/shell.ts';
import { CHDIR_FAILED, execLine, expandedWord, expandsOnHost } from './command-words.ts';
import { defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

export interface CommandParams {
  cmd?: string;
  argv?: string[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  executable?: string;
  expand_argument_vars?: boolean;
  stdin_add_newline?: boolean;
  strip_empty_ends?: boolean;
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
    expand_argument_vars: { type: 'boolean' },
    stdin_add_newline: { type: 'boolean' },
    strip_empty_ends: { type: 'boolean' },
  },
  oneOf: [{ required: ['cmd'] }, { required: ['argv'] }],
  additionalProperties: false,
};

/** A path with nothing for the host to expand or glob. */
const literalPath = (s: string) => !expandsOnHost(s) && !/[*?[]/.test(s);

/**
 * Whether a creates/removes pattern matches anything, as the command module asks after its
 * chdir: glob.glob of the pattern expanded as a path (a dangling link counts); and the
 * pattern as its messages show it (expanded).
 */
async function globMatches(
  ctx: ProbeContext,
  pattern: string,
  chdir: string | undefined,
): Promise<{ found: boolean; shown: string }> {
  const absolute = pattern.startsWith('/')
    ? pattern
    : chdir !== undefined && literalPath(chdir) && chdir.startsWith('/')
      ? `${chdir}/${pattern}`
      : undefined;
  if (literalPath(pattern) && absolute !== undefined)
    return { found: (await ctx.probePath(absolute)).kind !== 'absent', shown: pattern };
  const cd = chdir === undefined ? '' : `cd ${expandedWord(chdir)} 2>/dev/null; `;
  // a pattern that matches nothing is left as written by the shell, where glob.glob finds nothing:
  // a file named as the pattern counts only if the pattern matches its name
  const glob = expandedWord(pattern, true);
  const each = `for __q_f in ${glob}; do if [ -e "$__q_f" ] || [ -L "$__q_f" ]; then case $__q_f in ${glob}) exit 0;; esac; fi; done; exit 1`;
  const r = await ctx.probe(`${cd}printf '%s' ${expandedWord(pattern)}; ${each}`);
  return { found: r.code === 0, shown: r.stdout };
}

/** The outcome when creates/removes stops the command, registered in the command module's words. */
async function commandGuard(
  ctx: ProbeContext,
  p: CommandParams,
  cmd: unknown,
): Promise<ModuleOutcome | undefined> {
  const stopped = (path: string, state: string): ModuleOutcome => {
    const stdout = `skipped, since ${path} ${state}`;
    return {
      changes: [],
      result: {
        cmd,
        ...{ start: null, end: null, delta: null, rc: 0, stderr: '', stderr_lines: [] },
        msg: `${ctx.checkMode ? 'Would' : 'Did'} not run command since '${path}' ${state}`,
        stdout,
        stdout_lines: [stdout],
      },
    };
  };
  if (p.creates) {
    const m = await globMatches(ctx, p.creates, p.chdir);
    if (m.found) return stopped(m.shown, 'exists');
  }
  if (p.removes) {
    const m = await globMatches(ctx, p.removes, p.chdir);
    if (!m.found) return stopped(m.shown, 'does not exist');
  }
  return undefined;
}

/** Runs `line` unless its guard stops it; `cmd` is what Ansible registers as the command. */
async function guarded(
  ctx: ProbeContext,
  p: CommandParams,
  line: string,
  cmd: unknown,
  shown: string,
): Promise<ModuleOutcome> {
  const stopped = await commandGuard(ctx, p, cmd);
  if (stopped) return stopped;
  // the command module changes into chdir first and fails, unchanged, where it cannot
  const cd = p.chdir
    ? `cd ${expandedWord(p.chdir)} 2>/dev/null || { printf '%s\\n' ${sh`${CHDIR_FAILED}`} >&2; exit 1; }\n`
    : '';
  const stdin = p.stdin ? `${p.stdin}${p.stdin_add_newline === false ? '' : '\n'}` : undefined;
  return {
    changes: [
      {
        summary: `run: ${p.cmd ?? p.argv?.join(' ')}`,
        action: { kind: 'exec', command: cd + line, stdin, shown },
      },
    ],
    unpredictable: !p.creates && !p.removes,
    producesOutput: true,
    outputEnds: p.strip_empty_ends === false ? 'kept' : 'newlines',
    result: { cmd },
  };
}

export const commandModule = defineModule<CommandParams>({
  name: 'command',
  freeForm: 'cmd',
  schema,
  plan(ctx, p) {
    // no shell: the program is exec'd with its words, as Ansible runs it
    const argv = p.argv ?? shlexSplit(p.cmd ?? '');
    return guarded(ctx, p, execLine(argv, p.expand_argument_vars !== false), argv, sh`${argv}`);
  },
});

export const shellModule = defineModule<CommandParams>({
  name: 'shell',
  freeForm: 'cmd',
  schema,
  plan(ctx, p) {
    // /bin/sh -c, or `executable -c`, as Python's subprocess runs a shell command
    const text = p.cmd ?? sh`${p.argv ?? []}`;
    const line = execLine([p.executable ?? '/bin/sh', '-c', text], false);
    return guarded(ctx, p, line, p.cmd ?? p.argv, text);
  },
});
