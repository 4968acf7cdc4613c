/** `quorum runs [--json] [-n N]`, `quorum runs show ID`, `quorum runs merge`: the run journal read back. */
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { defaultJournalDir, journaledRun, listRuns, type RunSummary } from '../report/journal.ts';
import { mergeShards, readShardRun } from '../report/shard-merge.ts';
import { textReporter } from '../report/text.ts';

const result = (r: RunSummary) =>
  r.exitCode === undefined ? 'did not finish' : r.exitCode === 0 ? 'ok' : `failed (exit ${r.exitCode})`;

function totals(r: RunSummary): string {
  const sum = (k: 'changed' | 'failed' | 'unreachable') =>
    Object.values(r.hosts).reduce((n, h) => n + (h[k] ?? 0), 0);
  return `${Object.keys(r.hosts).length} hosts, changed=${sum('changed')} failed=${sum('failed')} unreachable=${sum('unreachable')}`;
}

export function registerRunsCommands(program: Command) {
  const runs = program
    .command('runs')
    .description('the journal of earlier runs (newest first)')
    .option('--journal <dir>', 'the journal folder (default $XDG_STATE_HOME/quorum/runs)')
    .option('-n, --count <n>', 'how many runs', '20')
    .option('--json', 'one JSON object per run, per host counts included')
    .action((o: { journal?: string; count: string; json?: boolean }) => {
      const count = Number(o.count);
      if (!Number.isInteger(count) || count < 1)
        throw new InputError('USAGE', '--count must be a positive integer');
      const list = listRuns(o.journal ?? defaultJournalDir(), count);
      if (o.json) {
        for (const r of list) process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      for (const r of list)
        process.stdout.write(`${r.id}  ${r.time}  ${r.playbook}  ${result(r)}  ${totals(r)}\n`);
    });
  runs
    .command('show')
    .description("one run's recap again, with its failures")
    .argument('<id>', 'a run id, or the start of one')
    .option('--journal <dir>', 'the journal folder (default $XDG_STATE_HOME/quorum/runs)')
    .action((id: string, o: { journal?: string }) => {
      const dir = o.journal ?? runs.opts().journal ?? defaultJournalDir();
      const run = journaledRun(dir, id);
      const h = run.header;
      process.stdout.write(
        `run ${h.id} at ${h.time}: ${h.playbook} -i ${h.inventory.join(' -i ')}${h.limit ? ` --limit ${h.limit}` : ''}${h.extraVarNames.length ? ` (-e ${h.extraVarNames.join(', ')})` : ''}\n`,
      );
      // the failures and the recap, as the run printed them
      const print = textReporter({ tty: false, verbose: 0, write: (s) => process.stdout.write(s) });
      for (const e of run.events)
        if (
          (e.type === 'node_end' && e.status === 'failed') ||
          e.type === 'unreachable' ||
          e.type === 'recap'
        )
          print(e);
      const end = run.events.findLast((e) => e.type === 'run_end');
      if (!end) process.stdout.write('the run did not finish (interrupted, or still running)\n');
    });
  runs
    .command('merge')
    .description('the slices of one sharded run (play --shard K/N): checked whole, their recaps joined')
    .argument('<runs...>', 'journal or --log files, or run ids in the journal folder')
    .option('--journal <dir>', 'the journal folder (default $XDG_STATE_HOME/quorum/runs)')
    .option('--json', 'one JSON object: the slices, the hosts, the exit code')
    .action((sources: string[], o: { journal?: string; json?: boolean }) => {
      const dir = o.journal ?? runs.opts().journal ?? defaultJournalDir();
      const merged = mergeShards(sources.map((s) => readShardRun(s, dir)));
      // `runs` has a --json of its own, which commander gives the parent
      if (o.json || runs.opts().json) process.stdout.write(`${JSON.stringify(merged)}\n`);
      else {
        for (const r of merged.shards)
          process.stdout.write(
            `slice ${r.shard.index}/${r.shard.count}: run ${r.runId}, ${Object.keys(r.hosts).length} hosts, exit ${r.exitCode}\n`,
          );
        const print = textReporter({ tty: false, verbose: 0, write: (s) => process.stdout.write(s) });
        print({ type: 'recap', hosts: merged.hosts, elapsedMs: merged.elapsedMs });
      }
      // failed (2) and unreachable (4) as one run would exit
      process.exitCode = merged.exitCode;
    });
}
