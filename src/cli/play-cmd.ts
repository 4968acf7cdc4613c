import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { userSetting } from '../config/ansible-config.ts';
import { checkAnsibleConfig } from '../config/check-config.ts';
import {
  type AnsibleCliOptions,
  applyAnsibleCliOptions,
  withAnsibleDefaults,
} from '../config/cli-defaults.ts';
import { InputError } from '../errors.ts';
import { executeRun, type PlayRequest, prepareRun } from '../execute/run.ts';
import type { RunLocks } from '../execute/run-lock.ts';
import { parseShard } from '../plan/shard.ts';
import type { Reporter } from '../report/events.ts';
import { defaultJournalDir, journalReporter } from '../report/journal.ts';
import { jsonFileReporter, jsonLinesReporter } from '../report/json.ts';
import { textReporter } from '../report/text.ts';
import { type ConnectionSettings, transportFactory } from '../transport/connect.ts';
import type { VaultOptions } from '../vault/secrets.ts';
import { parseExtraVars } from './extra-vars.ts';
import { collect } from './options.ts';
import { listPlan, listTags } from './play-listing.ts';
import { promptHidden, promptLine } from './prompt.ts';
import { registerResumeCommand } from './resume-cmd.ts';
import { applyVaultOptions, withVaultOptions } from './vault-options.ts';

export interface PlayOptions extends VaultOptions, AnsibleCliOptions {
  inventory?: string[];
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags?: string;
  skipTags?: string;
  extraVars?: string[];
  forks?: string;
  json?: boolean;
  log?: string;
  /** --journal DIR; false: --no-journal. */
  journal?: string | false;
  verbose?: number;
  rolesPath?: string[];
  listHosts?: boolean;
  listTasks?: boolean;
  hostKeyChecking?: string;
  askBecomePass?: boolean;
  timeout?: string;
  persist?: string;
  shard?: string;
  askPass?: boolean;
  syntaxCheck?: boolean;
  listTags?: boolean;
  startAtTask?: string;
}

async function connectionSettings(o: PlayOptions): Promise<ConnectionSettings> {
  const policies = ['strict', 'accept-new', 'off'];
  if (o.hostKeyChecking !== undefined && !policies.includes(o.hostKeyChecking)) {
    throw new InputError('USAGE', `--host-key-checking must be one of ${policies.join(', ')}`);
  }
  // ansible.cfg's host_key_checking = False: off where a host's variable does not say otherwise
  const configOff = o.hostKeyChecking === undefined && userSetting<boolean>('HOST_KEY_CHECKING') === false;
  if (o.hostKeyChecking === 'off' || configOff)
    process.stderr.write(
      `warning: ${configOff ? 'host_key_checking = False (ansible.cfg or ANSIBLE_HOST_KEY_CHECKING)' : '--host-key-checking off'}: host keys are not verified, so anyone between here and a host can pose as it (and see what quorum sends it)\n`,
    );
  const timeout = o.timeout === undefined ? undefined : Number(o.timeout) * 1000;
  if (timeout !== undefined && !(timeout > 0))
    throw new InputError('USAGE', '--timeout must be a positive number of seconds');
  const persist = Number(o.persist ?? process.env.QUORUM_PERSIST ?? 0);
  if (!(persist >= 0))
    throw new InputError('USAGE', '--persist (or QUORUM_PERSIST) must be a number of seconds, 0 for off');
  return {
    persistSeconds: persist,
    // QUORUM_SSH_MODE=exec: an exec channel per command (the way before the persistent shell)
    sshChannels: process.env.QUORUM_SSH_MODE === 'exec' ? 'exec' : 'shell',
    hostKeyChecking: o.hostKeyChecking as ConnectionSettings['hostKeyChecking'],
    configHostKeyChecking: configOff ? 'off' : undefined,
    connectTimeoutMs: timeout,
    password: o.askPass ? await promptHidden('SSH password: ') : undefined,
    becomePassword: o.askBecomePass
      ? await promptHidden('BECOME password: ')
      : process.env.QUORUM_BECOME_PASSWORD,
  };
}

async function request(
  playbook: string,
  o: PlayOptions,
  reporters: Reporter[],
  /** validate, --list-hosts, --list-tasks: nothing runs, so nothing is asked (vars_prompt). */
  planOnly = false,
): Promise<PlayRequest> {
  applyAnsibleCliOptions(o);
  checkAnsibleConfig(); // a setting quorum would not honour is refused before anything else
  withAnsibleDefaults(o);
  if (!o.inventory?.length)
    throw new InputError(
      'USAGE',
      'no inventory given',
      undefined,
      'pass -i SRC (or set inventory in ansible.cfg)',
    );
  await applyVaultOptions(o);

  const forks = o.forks === undefined ? undefined : Number(o.forks);
  if (forks !== undefined && (!Number.isInteger(forks) || forks < 1))
    throw new InputError('USAGE', '--forks must be a positive integer');
  const split = (s?: string) =>
    s
      ? s
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : [];
  return {
    playbook,
    inventory: o.inventory,
    check: o.check,
    diff: o.diff,
    limit: o.limit,
    tags: split(o.tags),
    skipTags: split(o.skipTags),
    extraVars: parseExtraVars(o.extraVars ?? []),
    forks,
    verbose: o.verbose ?? 0,
    rolesPath: o.rolesPath,
    reporters,
    transportFactory: transportFactory(await connectionSettings(o)),
    ask: process.stdin.isTTY ? (q, secret) => (secret ? promptHidden(q) : promptLine(q)) : undefined,
    planOnly,
    shard: o.shard === undefined ? undefined : parseShard(o.shard),
    startAtTask: o.startAtTask,
    // QUORUM_RUN_LOCK=off: the test suites' many runs against this one machine take no leases
    runLock: process.env.QUORUM_RUN_LOCK !== 'off',
    durableHandlers: process.env.QUORUM_DURABLE_HANDLERS !== 'off',
  };
}

function reportersFor(playbook: string, o: PlayOptions): Reporter[] {
  withAnsibleDefaults(o);
  const out = (s: string) => process.stdout.write(s);
  const reporters: Reporter[] = [];
  if (o.json) reporters.push(jsonLinesReporter(out));
  else
    reporters.push(textReporter({ tty: Boolean(process.stdout.isTTY), verbose: o.verbose ?? 0, write: out }));
  if (o.log) reporters.push(jsonFileReporter(o.log));
  // a run that may change hosts is journaled (a check run changes nothing worth recalling)
  if (o.journal !== false && !o.check && !o.listHosts && !o.listTasks && !o.listTags)
    reporters.push(
      journalReporter(o.journal ?? defaultJournalDir(), {
        playbook: resolve(playbook),
        // as paths from anywhere (quorum resume may run in another folder); host lists as given
        inventory: (o.inventory ?? []).map((i) => (existsSync(i) ? resolve(i) : i)),
        limit: o.limit,
        tags: o.tags ? o.tags.split(',') : [],
        extraVarNames: Object.keys(parseExtraVars(o.extraVars ?? [])),
      }),
    );
  return reporters;
}

function common(cmd: Command): Command {
  return withVaultOptions(cmd)
    .option('-i, --inventory <src>', 'inventory file, folder or host list (repeatable)', collect)
    .option('-l, --limit <pattern>', 'limit to hosts matching the pattern (@file reads names)')
    .option('-t, --tags <tags>', 'only run items with these tags (comma-separated)')
    .option('--skip-tags <tags>', 'skip items with these tags')
    .option('-e, --extra-vars <vars>', 'k=v, @file.yml or JSON; highest precedence (repeatable)', collect)
    .option('--roles-path <dir>', 'extra folder of site roles (repeatable)', collect)
    .option('--host-key-checking <policy>', 'strict (default), accept-new or off')
    .option('-u, --user <user>', 'log in as this user where no play or variable names one')
    .option('--private-key, --key-file <file>', 'the SSH key where no variable names one')
    .option('-c, --connection <type>', 'ssh (default) or local, where no variable names one')
    .option('-k, --ask-pass', 'ask for the SSH password')
    .option('-b, --become', 'become (sudo) where a play sets no become')
    .option('--become-user <user>', 'the user to become where nothing names one (default root)')
    .option('--become-method <method>', 'sudo (default) or su')
    .option(
      '--ssh-common-args <args>',
      "ssh arguments where ansible_ssh_common_args is not set (quorum's SSH client takes a few)",
    )
    .option('--ssh-extra-args <args>', 'the same, for ansible_ssh_extra_args')
    .option('--force-handlers', 'run handlers even on hosts that failed, where a play sets no force_handlers')
    .option('--flush-cache', 'accepted: quorum keeps no fact cache, facts are gathered afresh')
    .option('-K, --ask-become-pass', 'ask for the sudo password (or set QUORUM_BECOME_PASSWORD)')
    .option('-T, --timeout <seconds>', 'SSH connect timeout (default 10)')
    .option(
      '--persist <seconds>',
      'keep SSH connections open in the keeper for later runs (like ControlPersist; 0 = off, the default; also QUORUM_PERSIST)',
    )
    .option(
      '--shard <K/N>',
      "run slice K of N of the hosts (K from 1; slices by host name); `quorum runs merge` joins the slices' recaps",
    );
}

export function registerPlayCommands(program: Command) {
  common(program.command('play').description('run a playbook').argument('<playbook>'))
    .option('-C, --check', 'probe only: show exactly what would change, change nothing')
    .option('-D, --diff', 'show unified diffs of file contents (secrets redacted)')
    .option('-f, --forks <n>', 'how many nodes run at once (default: all hosts)')
    .option('--json', 'write the JSON-lines event stream to stdout instead of text')
    .option('--log <file>', 'also write the JSON-lines event stream to FILE')
    .option('--journal <dir>', 'where runs are journaled (default $XDG_STATE_HOME/quorum/runs)')
    .option('--no-journal', 'do not journal this run')
    .option('-v, --verbose', 'more output (repeatable)', (_v: string, prev: number) => prev + 1, 0)
    .option('--list-hosts', 'list the hosts each play targets, then stop')
    .option('--list-tasks', 'list the plan (items per play and host), then stop')
    .option(
      '--start-at-task <name>',
      'start the playbook at the first task of this name (a glob), as ansible-playbook does',
    )
    .option('--list-tags', "list each play's tags and its tasks' tags (as ansible-playbook does), then stop")
    .option('--syntax-check', 'check the playbook offline as `quorum validate` does, then stop')
    .action(async (playbook: string, o: PlayOptions) => {
      if (o.syntaxCheck) {
        const checked = await prepareRun(await request(playbook, o, [], true));
        for (const w of checked.warnings) process.stderr.write(`warning: ${w}\n`);
        process.stdout.write(`\nplaybook: ${playbook}\n`);
        return;
      }
      const prepared = await prepareRun(
        await request(
          playbook,
          o,
          reportersFor(playbook, o),
          Boolean(o.listHosts || o.listTasks || o.listTags),
        ),
      );
      if (o.listHosts || o.listTasks || o.listTags) {
        for (const w of prepared.warnings) process.stderr.write(`warning: ${w}\n`);
        if (o.listTags) process.stdout.write(listTags(playbook, prepared));
        else
          process.stdout.write(
            listPlan(prepared, { hosts: Boolean(o.listHosts), tasks: Boolean(o.listTasks) }),
          );
        return;
      }
      process.exitCode = await withLeasesReleasedOnSignal(prepared.run.locks, () => executeRun(prepared));
    });
  registerResumeCommand(program, common, runPlay);

  common(
    program
      .command('validate')
      .description('check a playbook offline: schemas, params, patterns, the graph')
      .argument('<playbook>'),
  ).action(async (playbook: string, o: PlayOptions) => {
    const prepared = await prepareRun(await request(playbook, o, [], true));
    for (const w of prepared.warnings) process.stderr.write(`warning: ${w}\n`);
    const hosts = new Set(prepared.nodes.map((n) => n.host));
    const later = prepared.later.flat().length;
    process.stdout.write(
      `ok: ${prepared.playbook.plays.length} play(s), ${prepared.nodes.length} node(s) on ${hosts.size} host(s)${
        later ? ` (and ${later} play(s) after group_by/add_host, planned when they start)` : ''
      }\n`,
    );
  });
}

/** A play run by another command (resume): planned, then run with its leases released on Ctrl-C. */
async function runPlay(playbook: string, o: PlayOptions): Promise<number> {
  const prepared = await prepareRun(await request(playbook, o, reportersFor(playbook, o)));
  return withLeasesReleasedOnSignal(prepared.run.locks, () => executeRun(prepared));
}

/**
 * Ctrl-C or a TERM during a run: the run leases on the hosts are released (at most 5 s) before
 * quorum exits with 130 / 143, so the next run does not find this one's leases and wait.
 */
async function withLeasesReleasedOnSignal(locks: RunLocks, run: () => Promise<number>): Promise<number> {
  const stop = (signal: NodeJS.Signals, code: number) => () => {
    process.stderr.write(`\n${signal}: releasing the run locks, then stopping\n`);
    const timeout = new Promise((r) => setTimeout(r, 5000).unref());
    void Promise.race([locks.releaseAll(), timeout]).finally(() => process.exit(code));
  };
  const onInt = stop('SIGINT', 130);
  const onTerm = stop('SIGTERM', 143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    return await run();
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
