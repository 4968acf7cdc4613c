/**
 * Small builtins real playbooks use around the work: `ping` (the host answers), `pause` (wait a
 * while; a prompt is refused, quorum runs unattended), `wait_for_connection` (the host answers
 * again), `raw` (a command through the shell, as written), `dpkg_selections` (hold a package),
 * `script` (a controller script run on the host).
 */
import { shlexSplit } from '../inventory/shlex.ts';
import { sh } from '../transport/shell.ts';
import { type Action, defineModule, type ModuleOutcome, type ProbeContext } from './types.ts';

export const pingModule = defineModule<{ data?: string }>({
  name: 'ping',
  schema: { type: 'object', properties: { data: { type: 'string' } }, additionalProperties: false },
  async plan(ctx, p) {
    const r = await ctx.probe('true');
    if (r.code !== 0) return { changes: [], failed: `the host did not answer (exit ${r.code})` };
    return { changes: [], result: { ping: p.data ?? 'pong' } };
  },
});

interface PauseParams {
  seconds?: number;
  minutes?: number;
  prompt?: string;
  echo?: boolean;
}

export const pauseModule = defineModule<PauseParams>({
  name: 'pause',
  schema: {
    type: 'object',
    properties: {
      seconds: { type: 'integer', minimum: 0 },
      minutes: { type: 'integer', minimum: 0 },
      prompt: { type: 'string' },
      echo: { type: 'boolean' },
    },
    additionalProperties: false,
  },
  check(p) {
    if (p.seconds === undefined && p.minutes === undefined)
      return ['pause without seconds or minutes waits for a key press; quorum runs unattended: give seconds'];
    return [];
  },
  async plan(_ctx, p) {
    const seconds = (p.seconds ?? 0) + (p.minutes ?? 0) * 60;
    const wait: Action = { kind: 'exec', command: `sleep ${seconds}` };
    return {
      changes: [],
      waits: [wait],
      message: `pause for ${seconds} s`,
      result: { stdout: `Paused for ${seconds} seconds`, user_input: '' },
    };
  },
});

interface WaitForConnectionParams {
  delay?: number;
  timeout?: number;
  sleep?: number;
  connect_timeout?: number;
}

export const waitForConnectionModule = defineModule<WaitForConnectionParams>({
  name: 'wait_for_connection',
  schema: {
    type: 'object',
    properties: {
      delay: { type: 'integer', minimum: 0 },
      timeout: { type: 'integer', minimum: 0 },
      sleep: { type: 'integer', minimum: 0 },
      connect_timeout: { type: 'integer', minimum: 0 },
    },
    additionalProperties: false,
  },
  async plan(ctx, p) {
    // the transport connects (with its own bounded retries) before this probe runs
    const r = await ctx.probe('true');
    if (r.code !== 0) return { changes: [], failed: `the host did not answer (exit ${r.code})` };
    const waits: Action[] = p.delay ? [{ kind: 'exec', command: `sleep ${p.delay}` }] : [];
    return { changes: [], waits, result: { elapsed: p.delay ?? 0 } };
  },
});

export const rawModule = defineModule<{ cmd: string; executable?: string }>({
  name: 'raw',
  freeForm: 'cmd',
  schema: {
    type: 'object',
    properties: { cmd: { type: 'string', minLength: 1 }, executable: { type: 'string', minLength: 1 } },
    required: ['cmd'],
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    const command = p.executable ? sh`${p.executable} -c ${p.cmd}` : p.cmd;
    return {
      changes: [{ summary: `run: ${p.cmd}`, action: { kind: 'exec', command } }],
      unpredictable: true,
      producesOutput: true,
    };
  },
});

interface DpkgSelectionsParams {
  name: string;
  selection: 'install' | 'hold' | 'deinstall' | 'purge';
}

export const dpkgSelectionsModule = defineModule<DpkgSelectionsParams>({
  name: 'dpkg_selections',
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', pattern: '^[a-z0-9][a-z0-9+.:-]*$' },
      selection: { enum: ['install', 'hold', 'deinstall', 'purge'] },
    },
    required: ['name', 'selection'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const r = await ctx.probe(sh`dpkg --get-selections ${p.name}`);
    const line = r.stdout.split('\n').find((l) => l.split(/\s+/)[0]?.split(':')[0] === p.name);
    const current = line ? line.trim().split(/\s+/)[1] : 'not present';
    const result = { before: current, after: p.selection };
    if (current === p.selection) return { changes: [], result };
    return {
      changes: [
        {
          summary: `${p.name}: ${current} -> ${p.selection}`,
          action: { kind: 'exec', command: 'dpkg --set-selections', stdin: `${p.name} ${p.selection}\n` },
        },
      ],
      result,
    };
  },
});

/** As `test -e`: a link counts when what it points to exists. */
async function exists(ctx: ProbeContext, path: string): Promise<boolean> {
  const state = await ctx.probePath(path);
  return state.kind !== 'absent' && !(state.kind === 'link' && state.dangling);
}

/** script's guard, as its action plugin tests the path on the host (`test -e`). */
async function stoppedByGuard(
  ctx: ProbeContext,
  p: { creates?: string; removes?: string },
): Promise<ModuleOutcome | undefined> {
  const stopped = (path: string, state: string) => {
    const why = `${path} ${state}`;
    return { changes: [], result: { skipped_reason: why, rc: 0, stdout: '', stderr: '' } };
  };
  if (p.creates && (await exists(ctx, p.creates))) return stopped(p.creates, 'exists');
  if (p.removes && !(await exists(ctx, p.removes))) return stopped(p.removes, 'does not exist');
  return undefined;
}

interface ScriptParams {
  cmd: string;
  creates?: string;
  removes?: string;
  chdir?: string;
  executable?: string;
}

/**
 * `script`: a controller file (the role's files/, then the playbook's folder) run on the host
 * with its arguments, as Ansible runs it: sent there as a temporary file, so its #! line
 * counts (or `executable` runs it), then removed.
 */
export const scriptModule = defineModule<ScriptParams>({
  name: 'script',
  freeForm: 'cmd',
  schema: {
    type: 'object',
    properties: {
      cmd: { type: 'string', minLength: 1 },
      creates: { type: 'string' },
      removes: { type: 'string' },
      chdir: { type: 'string' },
      executable: { type: 'string', minLength: 1 },
    },
    required: ['cmd'],
    additionalProperties: false,
  },
  check(p, _readLocal, _listLocal, readLocalBytes) {
    const [file] = shlexSplit(p.cmd);
    if (file && !file.includes('{{')) readLocalBytes?.(file, 'files');
    return [];
  },
  async plan(ctx, p) {
    const [file, ...args] = shlexSplit(p.cmd);
    // a script's bytes as they are (a compiled one too)
    const text = ctx.readLocalBytes(file, 'files').toString('base64');
    const stopped = await stoppedByGuard(ctx, p);
    if (stopped) return stopped;
    const run = p.executable ? sh`${p.executable} "$f" ${args}` : sh`"$f" ${args}`;
    const cd = p.chdir ? sh`cd ${p.chdir} && ` : '';
    const command = `f=$(mktemp) && base64 -d > "$f" && chmod 700 "$f" && { ${cd}${run}; rc=$?; rm -f "$f"; exit $rc; }`;
    return {
      changes: [
        {
          summary: `run the script ${file}${args.length ? ` ${args.join(' ')}` : ''}`,
          action: { kind: 'exec', command, stdin: text },
        },
      ],
      unpredictable: !p.creates && !p.removes,
      producesOutput: true,
    };
  },
});
