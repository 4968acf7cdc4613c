/** `--shard K/N`: which host is in which slice, what cannot be sliced, how slices merge back. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShard, shardInfo, slices } from '../../src/plan/shard.ts';
import type { HostRecap } from '../../src/report/events.ts';
import { mergeShards, type ShardRun } from '../../src/report/shard-merge.ts';
import { quorum } from '../helpers/cli.ts';
import { workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS = Array.from({ length: 23 }, (_, i) => (i < 3 ? `cp${i + 1}` : `w${i - 2}`));

describe('slices', () => {
  it('K/N from 1, refused otherwise with the Indexed Job form as the hint', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '3', '1/0', 'a/b', '-1/2'])
      expect(() => parseShard(bad)).toThrow(/--shard takes K\/N/);
  });

  it('every host in one slice, by its name alone: the same in any inventory order, sizes within one', () => {
    const a = slices(HOSTS, 3);
    const b = slices([...HOSTS].reverse(), 3);
    const c = slices([...HOSTS.slice(11), ...HOSTS.slice(0, 11)], 3);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const sizes = [1, 2, 3].map((k) => [...a.values()].filter((s) => s === k).length);
    expect(sizes.reduce((x, y) => x + y)).toBe(23);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    // not dealt in inventory order: names decide
    expect(HOSTS.map((h) => a.get(h))).not.toEqual(HOSTS.map((_, i) => (i % 3) + 1));
    expect(new Set(slices(HOSTS, 1).values())).toEqual(new Set([1]));
  });
});

describe('what cannot be sliced is refused before any host is touched', () => {
  const hosts = 'h1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n';
  const validate = (play: string, shard = '1/2') => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': hosts, 'play.yml': play });
    return quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--shard', shard]);
  };

  it('hosts on their own: accepted', () => {
    const r = validate('- hosts: all\n  tasks:\n    - debug: { msg: hi }\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([
    [
      'run_once',
      '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      run_once: true\n',
      /play\.yml:3:7: .*has run_once/,
    ],
    [
      'delegate_to',
      '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n      delegate_to: h1\n',
      /play\.yml:3:7: .*delegate_to: h1/,
    ],
    [
      'serial',
      '- hosts: all\n  serial: 1\n  tasks:\n    - debug: { msg: hi }\n',
      /play\.yml:1:3: .*has serial/,
    ],
  ])('%s', (_what, play, message) => {
    const r = validate(play);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    // one slice of one is the whole run: nothing to refuse
    expect(validate(play, '1/1').code).toBe(0);
  });

  it("a role's needs across hosts (cluster.yml)", () => {
    const root = join(import.meta.dirname, '../..');
    const args = ['validate', join(root, 'playbooks/cluster.yml'), '-i', join(root, 'inventory/lab.yml')];
    const r = quorum([...args, '--shard', '2/3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /cluster\.yml:\d+:\d+: --shard: role \S+ on \S+ waits for role \S+ on \S+ \(its needs\)/,
    );
    expect(quorum([...args, '--shard', '1/1']).code).toBe(0);
  });
});

describe('runs merge', () => {
  const recap = (changed: number): HostRecap => ({
    ok: 3,
    changed,
    failed: 0,
    skipped: 0,
    unreachable: 0,
    ignored: 0,
    rescued: 0,
    maybe: 0,
  });
  const slice = (index: number, hosts: string[], more: Partial<ShardRun> = {}): ShardRun => ({
    source: `s${index}.jsonl`,
    runId: `run-${index}`,
    shard: shardInfo({ index, count: 3 }, '/site.yml', HOSTS),
    check: false,
    exitCode: 0,
    hosts: Object.fromEntries(hosts.map((h) => [h, recap(1)])),
    elapsedMs: index * 100,
    ...more,
  });

  it("joins the slices' recaps; failed and unreachable as one run would exit", () => {
    const m = mergeShards([slice(2, ['w1']), slice(1, ['cp1']), slice(3, ['w2'], { exitCode: 2 })]);
    expect(Object.keys(m.hosts)).toEqual(['cp1', 'w1', 'w2']);
    expect(m.shards.map((s) => s.shard.index)).toEqual([1, 2, 3]);
    expect(m.exitCode).toBe(2);
    expect(m.elapsedMs).toBe(300);
    expect(
      mergeShards([slice(1, []), slice(2, [], { exitCode: 4 }), slice(3, [], { exitCode: 2 })]).exitCode,
    ).toBe(6);
  });

  it('refuses what is not one whole run', () => {
    expect(() => mergeShards([slice(1, []), slice(2, [])])).toThrow(/slices 3\/3 missing/);
    expect(() => mergeShards([slice(1, []), slice(1, []), slice(3, [])])).toThrow(
      /shard 1\/3 is given twice/,
    );
    const other = { ...slice(3, []), shard: shardInfo({ index: 3, count: 3 }, '/site.yml', HOSTS.slice(1)) };
    expect(() => mergeShards([slice(1, []), slice(2, []), other])).toThrow(/another run/);
    expect(() => mergeShards([slice(1, []), slice(2, []), slice(3, [], { check: true })])).toThrow(
      /check run/,
    );
    expect(() => mergeShards([slice(1, []), slice(2, []), slice(3, [], { exitCode: undefined })])).toThrow(
      /slice 3\/3 \(run run-3, s3\.jsonl\) did not finish/,
    );
  });
});
