/**
 * Human output. Plain lines when not a TTY (CI logs); on a TTY the same lines plus a live
 * status line (which host is on which step, how many nodes done) and colours.
 */
import { unifiedDiff } from './diff.ts';
import type { Reporter, RunEvent } from './events.ts';

/**
 * Values printed as they are could forge report lines (a newline in a host name or a message)
 * or move the cursor (escape sequences): control characters are shown escaped. `keepNewlines`
 * for texts that are lines by nature (a diff, a stderr tail), each line indented by the caller.
 */
export function escapeControl(value: unknown, keepNewlines = false): string {
  return String(value).replace(/[\u0000-\u001f\u007f\u0080-\u009f]/g, (c) => {
    if (c === '\t' || (keepNewlines && c === '\n')) return c;
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
const esc = (v: unknown) => escapeControl(v);

const COLORS = { ok: 32, changed: 33, would_change: 33, failed: 31, skipped: 36, unreachable: 35 } as const;

export interface TextOptions {
  tty: boolean;
  verbose: number;
  write: (s: string) => void;
}

export function textReporter(opts: TextOptions): Reporter {
  const color = (status: keyof typeof COLORS, s: string) =>
    opts.tty ? `\x1b[${COLORS[status]}m${s}\x1b[0m` : s;
  const active = new Map<string, string>();
  let total = 0;
  let done = 0;
  let statusShown = false;
  const clearStatus = () => {
    if (opts.tty && statusShown) opts.write('\r\x1b[2K');
    statusShown = false;
  };
  const showStatus = () => {
    if (!opts.tty || total === 0) return;
    const running = [...active.entries()]
      .slice(0, 3)
      .map(([h, s]) => `${h}: ${s}`)
      .join(' | ');
    const more = active.size > 3 ? ` (+${active.size - 3})` : '';
    opts.write(`\r\x1b[2K[${done}/${total}] ${running}${more}`.slice(0, (process.stdout.columns ?? 120) + 8));
    statusShown = true;
  };
  const line = (s: string) => {
    clearStatus();
    opts.write(`${s}\n`);
    showStatus();
  };
  return (e: RunEvent) => {
    switch (e.type) {
      case 'run_start':
        line(
          `${e.check ? 'CHECK (no changes will be made): ' : ''}${e.playbook} on ${e.hosts.length} host(s)`,
        );
        break;
      case 'plan': {
        total += e.nodes.length; // one plan per segment of the run (group_by, add_host)
        for (const n of e.notes) line(`note: ${n}`);
        const readOnly = [...new Set(e.nodes.filter((n) => n.readOnly).map((n) => n.host))];
        if (readOnly.length)
          line(
            `note: ${readOnly.length} host(s) outside --limit are read for what the limited hosts need, never changed: ${readOnly.join(', ')}`,
          );
        break;
      }
      case 'node_start':
        active.set(e.host, e.item);
        showStatus();
        break;
      case 'node_end':
        done++;
        active.delete(e.host);
        if (
          e.status === 'failed' ||
          (e.status === 'skipped' && e.reason && opts.verbose > 0) ||
          e.status === 'unreachable'
        ) {
          line(
            `${color(e.status, e.status.toUpperCase())} ${esc(e.host)} ${esc(e.item)}${e.reason ? `: ${esc(e.reason)}` : ''}`,
          );
        } else showStatus();
        break;
      case 'step': {
        if (e.status === 'ok' && !e.message && opts.verbose === 0) break;
        if (e.status === 'skipped' && opts.verbose === 0) break;
        const tag =
          e.status === 'would_change'
            ? e.maybe || e.prediction
              ? 'MAY CHANGE'
              : 'WOULD CHANGE'
            : e.ignored
              ? 'FAILED (ignored)'
              : e.rescued
                ? 'FAILED (rescued)'
                : e.status.toUpperCase();
        const flags = [
          e.unpredictable ? 'unpredictable: runs a command' : '',
          e.prediction ? 'known after apply' : '',
        ].filter(Boolean);
        line(
          `${color(e.status, tag)} ${esc(e.host)} ${esc(e.task)}${flags.length ? ` (${flags.join(', ')})` : ''}`,
        );
        for (const c of e.changes) {
          line(`    - ${esc(c.summary)}`);
          if (c.diff)
            line(indent(escapeControl(unifiedDiff(c.diff.path, c.diff.before, c.diff.after), true)));
        }
        if (e.message && (e.status !== 'ok' || opts.verbose > 0 || e.module === 'debug'))
          line(`    ${esc(e.message)}`);
        if (e.error) {
          line(`    error: ${esc(e.error.message)}`);
          if (e.error.command) line(`    command: ${esc(e.error.command)}`);
          if (e.error.stderrTail) line(indent(escapeControl(e.error.stderrTail, true), '    | '));
        }
        break;
      }
      case 'handler':
        line(
          `${color(e.status === 'would_change' ? 'would_change' : 'changed', e.status === 'would_change' ? 'WOULD RUN' : 'HANDLER')} ${esc(e.host)} ${esc(e.handler)} because ${esc(e.because.join(', '))} ${e.status === 'would_change' ? 'would change' : 'changed'}`,
        );
        break;
      case 'retry':
        line(
          `${color('failed', 'RETRYING')} ${esc(e.host)} ${esc(e.task)}: ${esc(e.message ?? 'condition not met')} (attempt ${e.attempt} of ${e.retries + 1}, next in ${e.delaySeconds}s)`,
        );
        break;
      case 'unreachable':
        line(`${color('unreachable', 'UNREACHABLE')} ${esc(e.host)}: ${esc(e.message)}`);
        break;
      case 'warning':
        line(`warning: ${esc(e.message)}`);
        break;
      case 'recap': {
        clearStatus();
        opts.write('\nRECAP\n');
        const width = Math.max(4, ...Object.keys(e.hosts).map((h) => h.length));
        for (const [h, r] of Object.entries(e.hosts)) {
          opts.write(
            `${h.padEnd(width)}  ${color('ok', `ok=${r.ok}`)}  ${color('changed', `changed=${r.changed}`)}  ${color('failed', `failed=${r.failed}`)}  ${color('skipped', `skipped=${r.skipped}`)}  ${color('unreachable', `unreachable=${r.unreachable}`)}  ignored=${r.ignored}${r.rescued ? `  rescued=${r.rescued}` : ''}${r.maybe ? `  may_change=${r.maybe}` : ''}${r.readOnly ? '  (read-only: outside --limit)' : ''}\n`,
          );
        }
        opts.write(`elapsed ${(e.elapsedMs / 1000).toFixed(2)}s\n`);
        break;
      }
      default:
        break;
    }
  };
}

function indent(text: string, prefix = '      '): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}
