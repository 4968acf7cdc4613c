/**
 * The journal and --log files are written in batches (line-file.ts): what records a change on a
 * host is on disk before the run goes on; routine events follow within one turn of the event
 * loop, at the latest when the process exits.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { journalReporter } from '../../src/report/journal.ts';
import { jsonFileReporter } from '../../src/report/json.ts';
import { workspace } from '../helpers/run-local.ts';

const start: RunEvent = {
  type: 'run_start',
  runId: 'r1',
  playbook: 'p.yml',
  check: false,
  hosts: ['h1'],
  time: '',
};
const step = (status: 'ok' | 'changed'): RunEvent => ({
  type: 'step',
  host: 'h1',
  node: '0.0@h1',
  task: `a ${status} step`,
  module: 'copy',
  status,
  changes: status === 'ok' ? [] : [{ summary: 'write /etc/x' }],
});
const types = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const e = JSON.parse(l) as { type: string; status?: string };
      return e.status ? `${e.type}:${e.status}` : e.type;
    });
const turn = () => new Promise((r) => setImmediate(r));

describe('event files', () => {
  it('journal: a change is written at once, with the routine events before it, in order', async () => {
    const dir = workspace();
    const report = journalReporter(dir, { playbook: 'p.yml', inventory: [], tags: [], extraVarNames: [] });
    report(start);
    const file = join(dir, 'r1.jsonl');
    report(step('ok'));
    expect(types(file)).toEqual(['journal', 'run_start']);
    report(step('changed'));
    expect(types(file)).toEqual(['journal', 'run_start', 'step:ok', 'step:changed']);
    report(step('ok'));
    await turn();
    expect(types(file)).toEqual(['journal', 'run_start', 'step:ok', 'step:changed', 'step:ok']);
  });

  it('--log: routine events reach the file within a turn of the event loop and at run_end', async () => {
    const path = join(workspace(), 'events.jsonl');
    const report = jsonFileReporter(path);
    report(start);
    report(step('ok'));
    expect(types(path)).toEqual(['run_start']);
    await turn();
    expect(types(path)).toEqual(['run_start', 'step:ok']);
    report(step('ok'));
    report({ type: 'run_end', exitCode: 0 });
    expect(types(path)).toEqual(['run_start', 'step:ok', 'step:ok', 'run_end']);
  });

  it('a process that exits before the next turn leaves nothing unwritten', () => {
    const path = join(workspace(), 'events.jsonl');
    const script = `
      import { jsonFileReporter } from ${JSON.stringify(join(import.meta.dirname, '../../src/report/json.ts'))};
      const report = jsonFileReporter(${JSON.stringify(path)});
      report(${JSON.stringify(start)});
      report(${JSON.stringify(step('ok'))});
      process.exit(3);
    `;
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]),
    ).toThrow();
    expect(types(path)).toEqual(['run_start', 'step:ok']);
  });
});
