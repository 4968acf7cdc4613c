/**
 * `async_status`: how a job started with `poll: 0` stands (execute/async-job.ts), read from its
 * record in ~/.ansible_async as ansible-core 2.19's module reads it: running (`finished: false`),
 * or finished with the job's own result (a failed job fails this task); `mode: cleanup` removes
 * the record (not a change, as in Ansible). A job quorum ran in the background left its output
 * and exit code in files beside the record: they become the command's result.
 */
import { quote } from '../transport/shell.ts';
import { defineModule, type ModuleOutcome } from './types.ts';

export interface AsyncStatusParams {
  jid: string;
  mode?: 'status' | 'cleanup';
}

const MARK = '--quorum-async--';

/**
 * Shell for the folder of job records: `ansible_async_dir` (the shell option Ansible reads from
 * the host's variables), else its default ~/.ansible_async; `~` is the user's home on the host.
 */
export function asyncDir(vars: Record<string, unknown>): string {
  const dir =
    typeof vars.ansible_async_dir === 'string' && vars.ansible_async_dir
      ? vars.ansible_async_dir
      : '~/.ansible_async';
  return dir === '~' || dir.startsWith('~/') ? `"$HOME"${quote(dir.slice(1) || '/')}` : quote(dir);
}

/** Ansible's `delta` of a command: H:MM:SS.ffffff between two `date '+%F %T.%6N'` stamps. */
function delta(start: string, end: string): string {
  const us = (s: string) =>
    Date.parse(`${s.slice(0, 19).replace(' ', 'T')}Z`) * 1000 + Number(s.slice(20, 26));
  const d = Math.max(0, us(end) - us(start));
  const secs = Math.floor(d / 1e6);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${Math.floor(secs / 3600)}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}.${pad(d % 1e6, 6)}`;
}

const lines = (s: string) => (s === '' ? [] : s.split('\n'));

/** A background command's files, as the command module's result. */
function commandResult(parts: string[]): Record<string, unknown> {
  const [rc, start, end, out64, err64] = parts;
  const [stdout, stderr] = [out64, err64].map((b) =>
    Buffer.from(b ?? '', 'base64')
      .toString('utf8')
      .replace(/\n$/, ''),
  );
  const code = Number(rc);
  return {
    changed: true,
    rc: code,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    start,
    end,
    delta: delta(start, end),
    msg: code === 0 ? '' : 'non-zero return code',
    ...(code === 0 ? {} : { failed: true }),
  };
}

export const asyncStatusModule = defineModule<AsyncStatusParams>({
  name: 'async_status',
  // its answer is the job's progress, which moves with time: asked on its turn, every attempt
  prefetch: false,
  unknownResult: 'all',
  schema: {
    type: 'object',
    properties: { jid: { type: 'string', minLength: 1 }, mode: { enum: ['status', 'cleanup'] } },
    required: ['jid'],
    additionalProperties: false,
  },
  async plan(ctx, p): Promise<ModuleOutcome> {
    const f = `"$d"/${quote(p.jid)}`;
    const r = await ctx.probe(
      [
        `d=${asyncDir(ctx.vars)}; echo ${f}`,
        `if [ -e ${f}.rc ]; then echo done; for x in rc start end; do cat ${f}.$x; done; echo ${MARK}; base64 -w0 ${f}.out; echo; base64 -w0 ${f}.err; echo`,
        `elif [ -e ${f} ]; then echo record; cat ${f}`,
        'else echo missing; fi',
      ].join('\n'),
    );
    const [file, state, ...rest] = r.stdout.split('\n');
    const base = { ansible_job_id: p.jid };
    if (state === 'missing' || r.code !== 0)
      return {
        changes: [],
        failed: 'could not find job',
        result: { ...base, started: true, finished: true },
      };
    if (p.mode === 'cleanup')
      return {
        changes: [],
        waits: [
          {
            kind: 'exec',
            command: `d=${asyncDir(ctx.vars)}; rm -f ${['', '.out', '.err', '.rc', '.start', '.end'].map((x) => f + x).join(' ')}`,
          },
        ],
        result: { ...base, erased: file, started: false, finished: false },
      };
    const running = {
      ...base,
      results_file: file,
      started: true,
      finished: false,
      stdout: '',
      stderr: '',
      stdout_lines: [],
      stderr_lines: [],
    };
    let data: Record<string, unknown>;
    if (state === 'done') {
      const [rc, start, end, mark, ...output] = rest;
      if (mark !== MARK) throw new Error(`the job's files could not be read: ${r.stderr.trim()}`);
      data = commandResult([rc, start, end, ...output]);
    } else {
      try {
        data = JSON.parse(rest.join('\n'));
      } catch {
        // not written whole yet: the job is running, as Ansible's module says
        return { changes: [], result: running };
      }
      if ('started' in data)
        return { changes: [], result: { ...running, ...data, started: true, finished: !!data.finished } };
    }
    const result = { ...running, ...data, finished: true };
    if (data.failed) return { changes: [], failed: String(data.msg ?? 'the job failed'), result };
    // the job's change is this task's, as Ansible reports it (the work is done: nothing to run)
    const changes = data.changed
      ? [{ summary: `job ${p.jid} changed the host`, action: { kind: 'exec' as const, command: ':' } }]
      : [];
    return { changes, result };
  },
});
