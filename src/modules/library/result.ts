/**
 * A module's answer as ansible-core's action reads it (action/__init__.py _parse_returned_data):
 * the JSON object in its stdout (lines before and after it are noise), or a failure that keeps
 * what the module printed. `ansible_facts` are set on the host and stay in the result; the
 * keys ansible-core keeps to itself (`_ansible_*`) are dropped.
 */
import { pySplitLines } from '../../py-splitlines.ts';
import type { ExecResult } from '../../transport/types.ts';
import type { Action, Change, FileDiff, ModuleOutcome } from '../types.ts';

export interface ModuleAnswer {
  result: Record<string, unknown>;
  failed?: string;
  facts?: Record<string, unknown>;
  diff?: FileDiff;
}

interface Envelope {
  rc: number;
  stdout: string;
  stderr: string;
}

/** ansible-core's _filter_non_json_lines (objects only): from the first line opening an object to the last closing one. */
function jsonPart(stdout: string): string | undefined {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith('{'));
  if (start < 0) return undefined;
  let end = lines.length - 1;
  while (end > start && !lines[end].trimEnd().endsWith('}')) end--;
  return lines.slice(start, end + 1).join('\n');
}

const text = (v: unknown) =>
  typeof v === 'string' ? v : v === undefined ? '' : `${JSON.stringify(v, null, 4)}\n`;

function diffOf(d: unknown, name: string): FileDiff | undefined {
  const one = (Array.isArray(d) ? d[0] : d) as Record<string, unknown> | undefined;
  if (!one || typeof one !== 'object' || (!('before' in one) && !('after' in one))) return undefined;
  return {
    path: String(one.after_header ?? one.before_header ?? name),
    before: text(one.before),
    after: text(one.after),
  };
}

/** `r`: what the bootstrap answered (its stdout the envelope of the module's run). */
export function moduleResult(r: ExecResult, name: string): ModuleAnswer {
  let run: Envelope;
  try {
    run = JSON.parse(r.stdout) as Envelope;
  } catch {
    const why = r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`;
    return {
      result: { failed: true, msg: `the module could not be started on the host: ${why}` },
      failed: why,
    };
  }
  const part = jsonPart(run.stdout);
  let data: unknown;
  try {
    data = part === undefined ? undefined : JSON.parse(part);
  } catch {
    data = undefined;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    const msg = `Module result deserialization failed: ${part === undefined ? 'No start of json char found' : 'the JSON does not parse'}`;
    return {
      result: { failed: true, msg, module_stdout: run.stdout, module_stderr: run.stderr, rc: run.rc },
      failed: `${msg}\n${run.stderr.trim().split('\n').slice(-5).join('\n')}`.trim(),
    };
  }
  // what a register keeps (strategy/__init__.py): no internal keys, no invocation
  const result = Object.fromEntries(
    Object.entries(data).filter(([k]) => !k.startsWith('_ansible_') && k !== 'invocation'),
  );
  // action/__init__.py: results that are not a list renamed, empty warnings dropped, lines split
  if ('results' in result && !Array.isArray(result.results)) {
    result.ansible_module_results = result.results;
    delete result.results;
  }
  for (const k of ['warnings', 'deprecations'])
    if (k in result && (!result[k] || (Array.isArray(result[k]) && !(result[k] as unknown[]).length)))
      delete result[k];
  for (const k of ['stdout', 'stderr'])
    if (k in result && !(`${k}_lines` in result))
      result[`${k}_lines`] = pySplitLines(typeof result[k] === 'string' ? (result[k] as string) : '');
  if (!('changed' in result)) result.changed = false;
  const facts =
    result.ansible_facts && typeof result.ansible_facts === 'object'
      ? (result.ansible_facts as Record<string, unknown>)
      : undefined;
  // task_executor.py: an rc other than 0 fails a result that does not say
  if (!('failed' in result)) result.failed = 'rc' in result && result.rc !== 0 && result.rc !== '0';
  return {
    result,
    facts,
    diff: diffOf(result.diff, name),
    failed: result.failed === true ? String(result.msg ?? 'the module failed') : undefined,
  };
}

/** A check run's answer: what would change (with its diff), a skip, or the failure. */
export function checkOutcome(r: ModuleAnswer, summary: string): ModuleOutcome {
  if (r.failed) return { changes: [], failed: r.failed, result: r.result };
  if (r.result.skipped === true)
    return { changes: [], skipped: String(r.result.msg ?? ''), result: r.result, facts: r.facts };
  const diff = r.diff ? { diff: r.diff } : {};
  const changes: Change[] =
    r.result.changed === true ? [{ summary, action: { kind: 'exec', command: ':' }, ...diff }] : [];
  return { changes, result: r.result, facts: r.facts };
}

/**
 * An apply run's outcome for a module whose answer is the action's output (`stdout`: the envelope
 * moduleResult reads): changed, failed, facts and diff as the module answers them.
 */
export function applyOutcome(summary: string, action: Action, name: string): ModuleOutcome {
  const run = (out: string) => moduleResult({ code: 0, stdout: out, stderr: '' }, name);
  return {
    changes: [{ summary, action, changedIf: (out) => run(out).result.changed === true }],
    unpredictable: true,
    outputResult: {
      keys: [],
      from: (out) => run(out).result,
      failed: (out) => run(out).failed,
      facts: (out) => run(out).facts,
      diff: (out) => run(out).diff,
    },
  };
}

/** The host's ansible_python_interpreter when it names one; `auto` and its kinds (ansible-core's discovery, which finds Debian's /usr/bin/python3 first) give none. */
export function namedInterpreter(vars: Record<string, unknown>): string | undefined {
  const given = vars.ansible_python_interpreter;
  return typeof given === 'string' && !given.startsWith('auto') ? given : undefined;
}
