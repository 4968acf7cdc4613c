/**
 * A developer's tool, not a test: one host's task statuses from a quorum run (`--json` events,
 * one per line) beside ansible-playbook's (its output), aligned by task name, the rows that
 * differ printed. How public content is held to Ansible before its differences become tests:
 *
 *   node --import tsx test/tools/compare-runs.ts QUORUM.jsonl ANSIBLE.log [HOST]
 *
 * Statuses are folded per task as the recap folds them (a loop: failed, changed, ok, skipped);
 * quorum's would_change is read as changed (a check run), an include's "included:" as ok.
 */
import { readFileSync } from 'node:fs';
import { ansibleTasks, folded } from '../helpers/ansible-log.ts';

interface Row {
  task: string;
  node?: string;
  statuses: string[];
}

/** quorum's steps on `host` in order, one row per task (a node's items folded). */
function quorumRows(jsonl: string, host: string): Row[] {
  const rows: Row[] = [];
  for (const line of jsonl.split('\n')) {
    if (!line.startsWith('{')) continue;
    const e = JSON.parse(line) as {
      type: string;
      host?: string;
      node?: string;
      task?: string;
      status?: string;
    };
    if (e.type !== 'step' || e.host !== host || !e.task || !e.status) continue;
    const status = e.status === 'would_change' ? 'changed' : e.status;
    const last = rows.at(-1);
    // a loop's items are steps of one node
    if (last && last.node === e.node && last.task === e.task) last.statuses.push(status);
    else rows.push({ task: e.task, node: e.node, statuses: [status] });
  }
  return rows;
}

/** The longest common subsequence of two name lists, as index pairs (the alignment). */
function align(a: string[], b: string[]): Array<[number | undefined, number | undefined]> {
  const n = a.length;
  const m = b.length;
  const len = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  const out: Array<[number | undefined, number | undefined]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) out.push([i++, j++]);
    else if (j >= m || (i < n && len[i + 1][j] >= len[i][j + 1])) out.push([i++, undefined]);
    else out.push([undefined, j++]);
  }
  return out;
}

/** ansible-playbook's tasks on `host` in the order it ran them, handlers too. */
const ansibleRows = (log: string, host: string): Row[] =>
  ansibleTasks(log, host, /^(?:TASK|RUNNING HANDLER) \[/m).map(([task, status]) => ({
    task,
    statuses: [status],
  }));

const [jsonlFile, logFile, host = 'localhost'] = process.argv.slice(2);
if (!jsonlFile || !logFile) {
  console.error('usage: compare-runs.ts QUORUM.jsonl ANSIBLE.log [HOST]');
  process.exit(2);
}
const mine = quorumRows(readFileSync(jsonlFile, 'utf8'), host);
const theirs = ansibleRows(readFileSync(logFile, 'utf8'), host);
let same = 0;
const rows: string[] = [];
for (const [i, j] of align(
  mine.map((r) => r.task),
  theirs.map((r) => r.task),
)) {
  const q = i === undefined ? '-' : folded(mine[i].statuses);
  const a = j === undefined ? '-' : folded(theirs[j].statuses);
  if (q === a) same++;
  else
    process.stdout.write(
      `${q.padEnd(8)} ${a.padEnd(8)} ${(i === undefined ? theirs[j ?? 0] : mine[i]).task}\n`,
    );
}
console.log(rows.join('\n'));
console.log(`quorum | ansible: ${same} tasks the same, listed above the ones that differ`);
