/**
 * `quorum runs merge`: the slices of one sharded run (`quorum play --shard K/N` on N
 * controllers), read back from their journals or --log files, checked to be the slices of one
 * run (the same playbook and hosts, every K once, each finished), their recaps joined.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { ShardInfo } from '../plan/shard.ts';
import type { HostRecap, RunEvent } from './events.ts';
import { journaledRun, parseLines } from './journal.ts';

export interface ShardRun {
  source: string;
  runId: string;
  shard: ShardInfo;
  check: boolean;
  /** undefined: the slice did not finish (merge refuses it) */
  exitCode?: number;
  hosts: Record<string, HostRecap>;
  elapsedMs: number;
}

export interface MergedRun {
  shards: ShardRun[];
  hosts: Record<string, HostRecap>;
  exitCode: number;
  /** the longest slice: they ran side by side */
  elapsedMs: number;
}

/** A journal or --log file by its path, else a run id in the journal folder. */
export function readShardRun(source: string, journalDir: string): ShardRun {
  const events = existsSync(source)
    ? (parseLines(readFileSync(source, 'utf8')) as unknown as RunEvent[])
    : journaledRun(journalDir, source).events;
  const start = events.find((e) => e.type === 'run_start');
  if (!start?.shard)
    throw new InputError(
      'USAGE',
      `${source} is not a slice of a sharded run (its run was not started with --shard K/N)`,
    );
  const recap = events.findLast((e) => e.type === 'recap');
  const end = events.findLast((e) => e.type === 'run_end');
  return {
    source,
    runId: start.runId,
    shard: start.shard,
    check: start.check,
    exitCode: end?.exitCode,
    hosts: recap?.hosts ?? {},
    elapsedMs: recap?.elapsedMs ?? 0,
  };
}

export function mergeShards(runs: ShardRun[]): MergedRun {
  const [first] = runs;
  if (!first) throw new InputError('USAGE', 'runs merge needs the slices of a run');
  for (const r of runs) {
    const same = r.shard.plan === first.shard.plan && r.shard.count === first.shard.count;
    if (!same || r.check !== first.check)
      throw new InputError(
        'USAGE',
        `${r.source} (shard ${r.shard.index}/${r.shard.count}) is a slice of another run than ${first.source}: ${same ? 'one is a check run' : 'other playbook, hosts or slice count'}`,
      );
  }
  const byIndex = new Map<number, ShardRun>();
  for (const r of runs) {
    const twice = byIndex.get(r.shard.index);
    if (twice)
      throw new InputError(
        'USAGE',
        `shard ${r.shard.index}/${r.shard.count} is given twice: ${twice.source} and ${r.source}`,
      );
    byIndex.set(r.shard.index, r);
  }
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length)
    throw new InputError(
      'USAGE',
      `slices ${missing.map((k) => `${k}/${first.shard.count}`).join(', ')} missing: a merged recap would leave their hosts out`,
    );
  const shards = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const unfinished = shards.find((r) => r.exitCode === undefined);
  if (unfinished)
    throw new InputError(
      'USAGE',
      `slice ${unfinished.shard.index}/${unfinished.shard.count} (run ${unfinished.runId}, ${unfinished.source}) did not finish: its recap is not whole`,
    );
  const hosts: Record<string, HostRecap> = {};
  for (const r of shards) Object.assign(hosts, r.hosts);
  // failed (2) and unreachable (4) from any slice
  const exitCode = shards.reduce((code, r) => code | (r.exitCode ?? 0), 0);
  return { shards, hosts, exitCode, elapsedMs: Math.max(...shards.map((r) => r.elapsedMs)) };
}
