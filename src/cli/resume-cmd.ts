/**
 * `quorum resume ID`: run a journaled run's playbook again (same inventory, limit and tags) on the
 * hosts it did not finish, and say which hosts it leaves out. On those hosts every node runs
 * again: what converged is only probed, the failed node and what follows it run. What those
 * hosts need from the hosts left out runs there read-only, as with --limit. The -e values are not
 * in the journal (they may be secrets): the run's -e names must be given again.
 */
import type { Command } from 'commander';
import { InputError } from '../errors.ts';
import { defaultJournalDir, hostsRunAfter, journaledRun } from '../report/journal.ts';
import { resumePlan } from '../report/resume.ts';
import { parseExtraVars } from './extra-vars.ts';

/** The play options a resume sets; the others come from its own command line. */
interface ResumeOptions {
  inventory?: string[];
  limit?: string;
  tags?: string;
  extraVars?: string[];
  journal?: string | false;
}

export function registerResumeCommand<O extends ResumeOptions>(
  program: Command,
  common: (cmd: Command) => Command,
  runPlay: (playbook: string, o: O) => Promise<number>,
) {
  common(
    program
      .command('resume')
      .description('run a failed or interrupted run again on the hosts it did not finish (see `quorum runs`)')
      .argument('<id>', 'a run id, or the start of one'),
  )
    .option('-C, --check', 'probe only: show what the resumed run would change')
    .option('-D, --diff', 'show unified diffs of file contents (secrets redacted)')
    .option('-f, --forks <n>', 'how many nodes run at once (default: all hosts)')
    .option('--json', 'write the JSON-lines event stream to stdout instead of text')
    .option('--log <file>', 'also write the JSON-lines event stream to FILE')
    .option('--journal <dir>', 'the journal folder (default $XDG_STATE_HOME/quorum/runs)')
    .option('-v, --verbose', 'more output (repeatable)', (_v: string, prev: number) => prev + 1, 0)
    .action(async (id: string, o: O) => {
      const dir = typeof o.journal === 'string' ? o.journal : defaultJournalDir();
      const run = journaledRun(dir, id);
      const { header } = run;
      const given = Object.keys(parseExtraVars(o.extraVars ?? []));
      const missing = header.extraVarNames.filter((n) => !given.includes(n));
      if (missing.length > 0)
        throw new InputError(
          'USAGE',
          `run ${header.id} was given -e ${missing.join(', ')}; the journal keeps names, not values (they may be secrets)`,
          undefined,
          `give them again: quorum resume ${id} -e ...`,
        );
      // a host that finished is left out only when no run since touched it: a check is never skipped
      // where a later run (journaled here) may have changed what that run found
      const plan = resumePlan(run.events, hostsRunAfter(dir, header.id));
      const say = (s: string) => process.stderr.write(`${s}\n`);
      if (plan.again.size === 0) {
        say(`run ${header.id} finished on every host (${plan.finished.length}): nothing to resume`);
        return;
      }
      say(`resuming run ${header.id} (${header.playbook}) on ${plan.again.size} host(s):`);
      for (const [host, why] of plan.again) say(`  ${host}: ${why}`);
      if (plan.finished.length > 0)
        say(
          `left out, finished in run ${header.id} and run by nothing since: ${plan.finished.join(', ')} (a run without resume checks them again)`,
        );
      process.exitCode = await runPlay(header.playbook, {
        ...o,
        inventory: o.inventory?.length ? o.inventory : header.inventory,
        limit: [...plan.again.keys()].join(','),
        tags: o.tags ?? (header.tags.length ? header.tags.join(',') : undefined),
        journal: o.journal,
      });
    });
}
