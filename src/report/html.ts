/**
 * `quorum report`: one self-contained HTML page of a run (from the journal, or a `--log` file):
 * the recap, the plan as a graph, a timeline per host, then every change and failure with its
 * message and diff. Everything is inline (styles, SVG, one small script that checks the page
 * holds every host and says so on the console): it opens from disk, with no server and no
 * network. Events come already redacted (the journal and the log are written after redaction).
 */
import { unifiedDiff } from './diff.ts';
import type { HostRecap, NodeStatus, RunEvent } from './events.ts';
import { esc, planGraph, statusColor, type Timed, timeline } from './html-svg.ts';

export interface ReportHead {
  id: string;
  playbook: string;
  time?: string;
  inventory?: string[];
  limit?: string;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2329;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.meta{color:#5f6b76}.ok{color:#2d7a3e}.bad{color:#b3261e}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e3e6e9;text-align:right}
td:first-child,th:first-child{text-align:left}
svg{background:#fff;border:1px solid #e3e6e9;max-width:100%;height:auto}
.host{font-size:12px}.item{font-size:11px;fill:#44505c}.tick{font-size:10px;stroke:#eef0f2;fill:#8a939c}
.edge{stroke:#b9c0c7;stroke-width:1}.edge.cross{stroke:#3d6fb4;stroke-width:1.4}
.wait{stroke:#9aa0a6;stroke-width:2;stroke-dasharray:3 2}.retry{stroke:#b3261e;stroke-width:2}
.step{background:#fff;border:1px solid #e3e6e9;border-radius:4px;padding:6px 10px;margin:6px 0}
.step .st{font-weight:600}.changed .st{color:#a86b00}.failed .st{color:#b3261e}
pre{background:#f4f6f8;padding:6px;overflow:auto;font-size:12px}
.add{color:#1a7f37}.del{color:#b3261e}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}`;

/** The page's own check, run by the browser: every host of the recap has its row and section. */
const CHECK = `(() => {
  const hosts = [...document.querySelectorAll('tr[data-host]')].map((r) => r.dataset.host);
  const missing = hosts.filter((h) => !document.querySelector('section[data-host="' + CSS.escape(h) + '"]'));
  if (hosts.length === 0 || missing.length) console.error('quorum report: hosts missing: ' + missing.join(', '));
  else document.documentElement.dataset.checked = String(hosts.length);
})();`;

function diffHtml(path: string, before: string, after: string): string {
  return unifiedDiff(path, before, after)
    .split('\n')
    .map((l) => {
      const cls =
        l.startsWith('+') && !l.startsWith('+++')
          ? 'add'
          : l.startsWith('-') && !l.startsWith('---')
            ? 'del'
            : '';
      return cls ? `<span class="${cls}">${esc(l)}</span>` : esc(l);
    })
    .join('\n');
}

function stepHtml(e: Extract<RunEvent, { type: 'step' }>): string {
  const changes = e.changes
    .map(
      (c) =>
        `<li>${esc(c.summary)}${c.diff ? `<pre>${diffHtml(c.diff.path, c.diff.before, c.diff.after)}</pre>` : ''}</li>`,
    )
    .join('');
  const error = e.error
    ? `<pre>${esc([e.error.message, e.error.command && `command: ${e.error.command}`, e.error.exitCode !== undefined && `exit ${e.error.exitCode}`, e.error.stderrTail].filter(Boolean).join('\n'))}</pre>`
    : '';
  const label = e.ignored ? 'failed (ignored)' : e.rescued ? 'failed (rescued)' : e.status;
  return `<div class="step ${esc(e.status)}"><span class="st">${esc(label)}</span> ${esc(e.task)} <span class="meta">(${esc(e.module)})</span>${e.message ? `<div>${esc(e.message)}</div>` : ''}${changes ? `<ul>${changes}</ul>` : ''}${error}</div>`;
}

export function htmlReport(head: ReportHead, events: Timed[]): string {
  // one plan per segment of the run (plays after group_by / add_host are planned when they start)
  const plans = events.filter((e): e is Extract<RunEvent, { type: 'plan' }> => e.type === 'plan');
  const plan = plans.length ? { nodes: plans.flatMap((p) => p.nodes) } : undefined;
  const recap = events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
  const end = events.find((e): e is Extract<RunEvent, { type: 'run_end' }> => e.type === 'run_end');
  const start = events.find((e): e is Extract<RunEvent, { type: 'run_start' }> => e.type === 'run_start');
  const hosts = recap ? Object.keys(recap.hosts) : (start?.hosts ?? []);
  const status = new Map<string, NodeStatus>();
  for (const e of events) if (e.type === 'node_end') status.set(e.id, e.status);
  const result =
    end === undefined
      ? '<span class="bad">did not finish</span>'
      : end.exitCode === 0
        ? '<span class="ok">ok</span>'
        : `<span class="bad">failed (exit ${end.exitCode})</span>`;
  const rows = hosts.map((h) => {
    const r: Partial<HostRecap> = recap?.hosts[h] ?? {};
    return `<tr data-host="${esc(h)}"><td>${esc(h)}</td>${(['ok', 'changed', 'failed', 'skipped', 'unreachable', 'ignored', 'rescued'] as const).map((k) => `<td>${r[k] ?? 0}</td>`).join('')}</tr>`;
  });
  const sections = hosts.map((h) => {
    const steps = events.filter(
      (e): e is Extract<RunEvent, { type: 'step' }> =>
        e.type === 'step' &&
        e.host === h &&
        (e.status === 'changed' || e.status === 'failed' || e.status === 'would_change'),
    );
    const failures = events.filter(
      (e) =>
        (e.type === 'node_end' && e.host === h && e.status === 'failed') ||
        (e.type === 'unreachable' && e.host === h),
    );
    const reasons = failures
      .map(
        (e) =>
          `<div class="step failed"><span class="st">${e.type === 'unreachable' ? 'unreachable' : 'failed'}</span> ${esc(e.type === 'node_end' ? `${e.item}: ${e.reason ?? ''}` : e.type === 'unreachable' ? e.message : '')}</div>`,
      )
      .join('');
    const handlers = events
      .filter((e): e is Extract<RunEvent, { type: 'handler' }> => e.type === 'handler' && e.host === h)
      .map(
        (e) =>
          `<div class="step changed"><span class="st">handler</span> ${esc(e.handler)} <span class="meta">because ${esc(e.because.join('; '))}</span></div>`,
      )
      .join('');
    const body = steps.map(stepHtml).join('') + handlers + reasons;
    return `<section data-host="${esc(h)}"><h2>${esc(h)}</h2>${body || '<div class="meta">nothing changed, nothing failed</div>'}</section>`;
  });
  const warnings = events
    .filter((e): e is Extract<RunEvent, { type: 'warning' }> => e.type === 'warning')
    .map((e) => `<li>${esc(e.message)}</li>`)
    .join('');
  const elapsed = recap ? `${(recap.elapsedMs / 1000).toFixed(2)} s` : '';
  const legend = (['ok', 'changed', 'failed', 'skipped', 'unreachable'] as const)
    .map((s) => `<span style="background:${statusColor(s)}"></span>${s}`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>quorum run ${esc(head.id)}</title><style>${STYLE}</style></head>
<body>
<h1>quorum run ${esc(head.id)}: ${result}</h1>
<div class="meta">${esc(head.playbook)}${head.inventory?.length ? ` -i ${esc(head.inventory.join(' -i '))}` : ''}${head.limit ? ` --limit ${esc(head.limit)}` : ''}${head.time ? `, ${esc(head.time)}` : ''}${elapsed ? `, ${elapsed}` : ''}${start?.check ? ', check run' : ''}</div>
<h2>Recap</h2>
<table><tr><th>host</th><th>ok</th><th>changed</th><th>failed</th><th>skipped</th><th>unreachable</th><th>ignored</th><th>rescued</th></tr>${rows.join('')}</table>
${warnings ? `<h2>Warnings</h2><ul>${warnings}</ul>` : ''}
<h2>Plan</h2><div class="legend meta">nodes by host and item; blue lines: needs across hosts${legend}</div>
${plan ? planGraph(plan.nodes, hosts, status) : '<div class="meta">no plan in this record</div>'}
<h2>Timeline</h2><div class="meta">each node from its start to its end; a dashed line before it: waiting after its needs were done (throttle, forks); red ticks: retries</div>
${plan ? timeline(events, plan.nodes, hosts) : ''}
<h2>Changes and failures</h2>
${sections.join('\n')}
<script>${CHECK}</script>
</body></html>
`;
}
