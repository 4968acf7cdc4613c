/**
 * `community.general.make`: a target built when make says it is not up to date, as the
 * collection's module does it: `make ... -q` in `chdir` is the probe (make's question mode runs no
 * recipe; exit 0 means up to date), then the same command without `-q`. gmake first where there
 * is one, as the module prefers it. Registered as the module registers it, with the command.
 */
import { quote, sh } from '../transport/shell.ts';
import { pyText } from './args.ts';
import { defineModule } from './types.ts';

interface MakeParams {
  target?: string;
  targets?: string[];
  params?: Record<string, unknown>;
  chdir: string;
  file?: string;
  make?: string;
  jobs?: number;
}

/** sanitize_output: the text without its trailing newlines. */
const trimmed = (s: string) => s.replace(/[\r\n]+$/, '');

/** The output fields AnsibleModule registers for a command's output, its _lines too. */
const output = (stdout: string, stderr: string) => ({
  stdout,
  stderr,
  stdout_lines: stdout === '' ? [] : stdout.split(/\r?\n/),
  stderr_lines: stderr === '' ? [] : stderr.split(/\r?\n/),
});

export const makeModule = defineModule<MakeParams>({
  name: 'make',
  aliases: ['community.general.make'],
  schema: {
    type: 'object',
    properties: {
      target: { type: 'string' },
      targets: { type: 'array', items: { type: 'string' } },
      params: { type: 'object' },
      chdir: { type: 'string', minLength: 1 },
      file: { type: 'string' },
      make: { type: 'string' },
      jobs: { type: 'integer' },
    },
    required: ['chdir'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    if (p.target !== undefined && p.targets !== undefined)
      return {
        changes: [],
        failed: 'parameters are mutually exclusive: target|targets',
        failedOnInput: true,
      };
    const words: string[] = [];
    if (p.jobs !== undefined) words.push('-j', String(p.jobs));
    if (p.file !== undefined) words.push('-f', p.file);
    if (p.target) words.push(p.target);
    else if (p.targets?.length) words.push(...p.targets);
    words.push(...Object.entries(p.params ?? {}).map(([k, v]) => (v === null ? k : `${k}=${pyText(v)}`)));
    const args = words.map((w) => quote(w)).join(' ');
    // the make program as the module finds it: `make` given, else gmake, else make; its path
    // first, then make's question mode (exit 0: up to date)
    const find =
      p.make !== undefined
        ? `m=${sh`${p.make}`}; `
        : 'm=$(command -v gmake || command -v make) || exit 127; ';
    const probe = await ctx.probe(`${find}echo "$m"; cd ${sh`${p.chdir}`} || exit 1; "$m" ${args} -q`);
    if (probe.code === 127 && probe.stdout === '')
      return { changes: [], failed: 'Failed to find required executable "make" in paths' };
    const [path, ...out] = probe.stdout.split('\n');
    const made = output(trimmed(out.join('\n')), trimmed(probe.stderr));
    const result = {
      ...made,
      target: p.target ?? null,
      targets: p.targets ?? null,
      params: p.params ?? null,
      chdir: p.chdir,
      file: p.file ?? null,
      jobs: p.jobs ?? null,
      command: [path, ...words].map((w) => quote(w)).join(' '),
    };
    if (probe.code === 0) return { changes: [], result };
    return {
      changes: [
        {
          summary: `make ${words.join(' ')} in ${p.chdir} (not up to date)`,
          action: {
            kind: 'exec',
            command: `${find}cd ${sh`${p.chdir}`} && "$m" ${args}`,
            errorFromStderr: true,
          },
        },
      ],
      result,
      // the build's own output (its stderr is the failure's words when it fails)
      outputResult: {
        keys: ['stdout', 'stderr', 'stdout_lines', 'stderr_lines'],
        from: (stdout) => output(trimmed(stdout), ''),
      },
    };
  },
});
