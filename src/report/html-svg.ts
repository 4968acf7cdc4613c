/**
 * The two pictures of the HTML report, as inline SVG (no script, no network): the plan as a
 * graph (a row per host, a column per item in plan order, a line for each `needs` between
 * nodes) and a timeline (a row per host, a bar per node from its start to its end, the wait
 * for its needs drawn thin before it, retries as ticks).
 */
import type { NodeStatus, RunEvent } from './events.ts';

export type Timed = RunEvent & { ts?: number };
type PlanNode = Extract<RunEvent, { type: 'plan' }>['nodes'][number];

export const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const COLORS: Record<NodeStatus | 'pending', string> = {
  ok: '#4c9a5b',
  changed: '#d89614',
  failed: '#c0392b',
  skipped: '#9aa0a6',
  unreachable: '#7b2cbf',
  pending: '#d0d4d9',
};

export const statusColor = (s: NodeStatus | undefined) => COLORS[s ?? 'pending'];

const ROW = 26;
const LEFT = 120;

export function planGraph(nodes: PlanNode[], hosts: string[], status: Map<string, NodeStatus>): string {
  // a column per plan item (a node's id less its @host), in plan order
  const itemOf = (n: PlanNode) => n.id.slice(0, n.id.lastIndexOf('@'));
  const labelOf = new Map<string, string>();
  for (const n of nodes) if (!labelOf.has(itemOf(n))) labelOf.set(itemOf(n), n.item);
  const items = [...labelOf.keys()];
  const col = new Map(items.map((item, i) => [item, i]));
  const row = new Map(hosts.map((h, i) => [h, i]));
  const CELL = 34;
  const TOP = 120;
  const at = (n: PlanNode) => ({
    x: LEFT + (col.get(itemOf(n)) ?? 0) * CELL + CELL / 2,
    y: TOP + (row.get(n.host) ?? 0) * ROW + ROW / 2,
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // room on the right for the last rotated item labels
  const width = LEFT + items.length * CELL + 150;
  const height = TOP + 10 + hosts.length * ROW;
  const edges = nodes.flatMap((n) =>
    n.needs.flatMap((id) => {
      const from = byId.get(id);
      if (!from) return [];
      const a = at(from);
      const b = at(n);
      // needs within a host follow its row; across hosts they are what the picture is for
      const cls = from.host === n.host ? 'edge' : 'edge cross';
      return [`<line class="${cls}" x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}"/>`];
    }),
  );
  const heads = items.map((key, i) => {
    const item = labelOf.get(key) ?? key;
    return `<text class="item" transform="translate(${LEFT + i * CELL + CELL / 2},${TOP - 8}) rotate(-40)">${esc(item.length > 24 ? `${item.slice(0, 23)}…` : item)}</text>`;
  });
  const labels = hosts.map(
    (h, i) => `<text class="host" x="8" y="${TOP + i * ROW + ROW / 2 + 4}">${esc(h)}</text>`,
  );
  const dots = nodes.map((n) => {
    const { x, y } = at(n);
    const s = status.get(n.id);
    const note = `${n.host}: ${n.item} (${s ?? 'not run'})${n.needs.length ? `, needs ${n.needs.length}` : ''}${n.throttle ? `, throttle ${n.throttle}` : ''}${n.readOnly ? ', read only' : ''}`;
    return `<circle class="node" data-host="${esc(n.host)}" cx="${x}" cy="${y}" r="8" fill="${statusColor(s)}"${n.readOnly ? ' stroke-dasharray="2 2"' : ''}><title>${esc(note)}</title></circle>`;
  });
  return `<svg class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="plan graph">${heads.join('')}${labels.join('')}${edges.join('')}${dots.join('')}</svg>`;
}

export function timeline(events: Timed[], nodes: PlanNode[], hosts: string[]): string {
  const start = events.find((e) => e.type === 'run_start')?.ts ?? events.find((e) => e.ts)?.ts ?? 0;
  const end = Math.max(start + 1, ...events.map((e) => e.ts ?? 0));
  const WIDTH = 900;
  const x = (ts: number) => LEFT + ((ts - start) / (end - start)) * WIDTH;
  const row = new Map(hosts.map((h, i) => [h, i]));
  const started = new Map<string, number>();
  const ended = new Map<string, { ts: number; status: NodeStatus; reason?: string }>();
  for (const e of events) {
    if (e.type === 'node_start' && e.ts) started.set(e.id, e.ts);
    if (e.type === 'node_end' && e.ts) ended.set(e.id, { ts: e.ts, status: e.status, reason: e.reason });
  }
  const bars: string[] = [];
  for (const n of nodes) {
    const s = started.get(n.id);
    const f = ended.get(n.id);
    if (s === undefined || !f) continue;
    const y = 20 + (row.get(n.host) ?? 0) * ROW;
    // ready when the last of its needs ended: the thin line is the wait (throttle, forks)
    const ready = Math.max(start, ...n.needs.map((id) => ended.get(id)?.ts ?? start));
    if (s - ready > 50)
      bars.push(`<line class="wait" x1="${x(ready)}" y1="${y + ROW / 2}" x2="${x(s)}" y2="${y + ROW / 2}"/>`);
    const w = Math.max(2, x(f.ts) - x(s));
    const note = `${n.item}: ${f.status}, ${((f.ts - s) / 1000).toFixed(2)} s${s - ready > 50 ? ` after waiting ${((s - ready) / 1000).toFixed(2)} s` : ''}${f.reason ? ` (${f.reason})` : ''}`;
    bars.push(
      `<rect class="bar" data-host="${esc(n.host)}" x="${x(s)}" y="${y + 4}" width="${w}" height="${ROW - 8}" fill="${statusColor(f.status)}"><title>${esc(note)}</title></rect>`,
    );
  }
  for (const e of events)
    if (e.type === 'retry' && e.ts) {
      const y = 20 + (row.get(e.host) ?? 0) * ROW;
      bars.push(
        `<line class="retry" x1="${x(e.ts)}" y1="${y}" x2="${x(e.ts)}" y2="${y + ROW}"><title>${esc(`${e.task}: attempt ${e.attempt} of ${e.retries}`)}</title></line>`,
      );
    }
  const labels = hosts.map(
    (h, i) => `<text class="host" x="8" y="${20 + i * ROW + ROW / 2 + 4}">${esc(h)}</text>`,
  );
  const seconds = (end - start) / 1000;
  const step = seconds > 120 ? 30 : seconds > 30 ? 10 : seconds > 5 ? 1 : 0.5;
  const ticks: string[] = [];
  for (let t = 0; t <= seconds; t += step)
    ticks.push(
      `<line class="tick" x1="${x(start + t * 1000)}" y1="14" x2="${x(start + t * 1000)}" y2="${20 + hosts.length * ROW}"/><text class="tick" x="${x(start + t * 1000)}" y="10">${t}s</text>`,
    );
  const height = 30 + hosts.length * ROW;
  return `<svg class="timeline" viewBox="0 0 ${LEFT + WIDTH + 20} ${height}" width="${LEFT + WIDTH + 20}" height="${height}" role="img" aria-label="timeline">${ticks.join('')}${labels.join('')}${bars.join('')}</svg>`;
}
