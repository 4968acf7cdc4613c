/** `quorum report ID --html FILE` (or `--log FILE`): a run as one HTML page to look at. */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { htmlReport, type ReportHead } from '../report/html.ts';
import type { Timed } from '../report/html-svg.ts';
import { defaultJournalDir, journaledRun, parseLines } from '../report/journal.ts';

function fromLog(path: string): { head: ReportHead; events: Timed[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('USAGE', `cannot read the log ${path}`, undefined, 'a file written by play --log');
  }
  const events = parseLines(text) as unknown as Timed[];
  const start = events.find((e) => e.type === 'run_start');
  if (start?.type !== 'run_start')
    throw new InputError(
      'USAGE',
      `${path} holds no run (no run_start event)`,
      undefined,
      'a file written by play --log',
    );
  return { head: { id: start.runId ?? basename(path), playbook: start.playbook, time: start.time }, events };
}

export function registerReportCommand(program: Command) {
  program
    .command('report')
    .description('a run as one self-contained HTML page (plan graph, timeline, changes, failures)')
    .argument('[id]', 'a run id from `quorum runs` (or the start of one)')
    .requiredOption('--html <file>', 'where to write the page')
    .option('--log <file>', 'read the run from a play --log file instead of the journal')
    .option('--journal <dir>', 'the journal folder (default $XDG_STATE_HOME/quorum/runs)')
    .action((id: string | undefined, o: { html: string; log?: string; journal?: string }) => {
      let head: ReportHead;
      let events: Timed[];
      if (o.log) ({ head, events } = fromLog(o.log));
      else {
        if (!id) throw new InputError('USAGE', 'give a run id (see `quorum runs`) or --log FILE');
        const dir = o.journal ?? defaultJournalDir();
        const run = journaledRun(dir, id);
        head = { ...run.header };
        events = run.events as Timed[];
      }
      writeFileSync(o.html, htmlReport(head, events));
      process.stdout.write(`${o.html}\n`);
    });
}
