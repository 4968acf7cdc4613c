/**
 * --limit as "change only these hosts": what a limited host's role reads from a host outside
 * the limit (seed's address and a pass minted on demand, as kubeadm-init's join material) is
 * read there read-only; roles that publish nothing are left out; nothing else outside the
 * limit is touched. Local transport, four hosts, the real engine.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import { playCli, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS =
  '[all]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\nh4 ansible_connection=local\n';

const play = (dir: string) => `
- hosts: h1
  roles:
    - { role: seed, dir: ${dir} }
- hosts: all
  roles:
    - { role: noise, dir: ${dir} }
- hosts: h2:h3:h4
  roles:
    - { role: member, dir: ${dir} }
`;

type Plan = Extract<RunEvent, { type: 'plan' }>;
type Recap = Extract<RunEvent, { type: 'recap' }>;
const planOf = (events: RunEvent[]) => events.find((e) => e.type === 'plan') as Plan;
const recapOf = (events: RunEvent[]) => (events.find((e) => e.type === 'recap') as Recap).hosts;
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

async function converged() {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(dir) });
  const first = await runLocal(dir);
  expect(first.code).toBe(0);
  expect(read(dir, 'passes.log')).toBe('minted\n');
  for (const h of ['h2', 'h3', 'h4']) expect(read(dir, `${h}.joined`)).toBe('seed-of-h1 pass-1\n');
  return dir;
}

describe('--limit reads what the limited hosts need from hosts outside it', () => {
  it('a node added with --limit joins with material read on the seed host, which changes only by the pass it mints', async () => {
    const dir = await converged();
    rmSync(join(dir, 'h3.joined'));
    rmSync(join(dir, 'h3.noise'));
    const seedBefore = statSync(join(dir, 'h1.seed')).mtimeMs;
    const r = await runLocal(dir, { limit: 'h3' });
    expect(r.code).toBe(0);
    const plan = planOf(r.events);
    // h3's own nodes, and seed on h1 read-only; noise on h1 (publishes nothing) and h2, h4 not at all
    expect(plan.nodes.map((n) => `${n.item}@${n.host}${n.readOnly ? ' (read-only)' : ''}`).sort()).toEqual([
      'role member@h3',
      'role noise@h3',
      'role seed@h1 (read-only)',
    ]);
    expect(read(dir, 'h3.joined')).toBe('seed-of-h1 pass-2\n');
    expect(read(dir, 'passes.log')).toBe('minted\nminted\n');
    expect(statSync(join(dir, 'h1.seed')).mtimeMs).toBe(seedBefore);
    const recap = recapOf(r.events);
    expect(Object.keys(recap).sort()).toEqual(['h1', 'h3']);
    expect(recap.h1.readOnly).toBe(true);
    expect(recap.h3.readOnly).toBeUndefined();
    // the one change on h1 is the pass h3 asked for, and the warning says so
    const h1Changes = r.events.filter((e) => e.type === 'step' && e.host === 'h1' && e.status === 'changed');
    expect(h1Changes.map((e) => (e as { task: string }).task)).toEqual(['seed: mint a pass']);
    expect(JSON.stringify(r.events.filter((e) => e.type === 'warning'))).toContain(
      'h1 is outside --limit: read-only but for this',
    );
    expect(JSON.stringify(r.events)).not.toContain('pass-2');
  });

  it('a check run with --limit predicts exactly what the run then does, and changes nothing anywhere', async () => {
    const dir = await converged();
    rmSync(join(dir, 'h3.joined'));
    const changes = (events: RunEvent[], status: string) =>
      events.flatMap((e) => (e.type === 'step' && e.status === status ? [`${e.host} ${e.task}`] : []));
    const check = await runLocal(dir, { limit: 'h3', check: true });
    expect(check.code).toBe(0);
    expect(existsSync(join(dir, 'h3.joined'))).toBe(false);
    expect(read(dir, 'passes.log')).toBe('minted\n');
    const predicted = changes(check.events, 'would_change');
    const r = await runLocal(dir, { limit: 'h3' });
    expect(r.code).toBe(0);
    expect(changes(r.events, 'changed')).toEqual(predicted);
    expect(predicted).toContain('h1 seed: mint a pass');
  });

  it('on a converged cluster --limit changes nothing and mints nothing', async () => {
    const dir = await converged();
    const r = await runLocal(dir, { limit: 'h2' });
    expect(r.code).toBe(0);
    expect(read(dir, 'passes.log')).toBe('minted\n');
    const recap = recapOf(r.events);
    expect(Object.values(recap).map((h) => h.changed)).toEqual([0, 0]);
  });

  it('a host outside the limit that would change is only reported (would change), never changed', async () => {
    const dir = await converged();
    rmSync(join(dir, 'h1.seed'));
    rmSync(join(dir, 'h4.joined'));
    const r = await runLocal(dir, { limit: 'h4' });
    // the seed file is missing on h1: the read-only seed says it would write it, and does not
    expect(existsSync(join(dir, 'h1.seed'))).toBe(false);
    const h1 = r.events.filter((e) => e.type === 'step' && e.host === 'h1');
    expect(h1.some((e) => e.type === 'step' && e.status === 'would_change')).toBe(true);
    expect(
      h1.some((e) => e.type === 'step' && e.status === 'changed' && e.task !== 'seed: mint a pass'),
    ).toBe(false);
    expect(r.code).toBe(0);
  });

  it('without --limit nothing is read-only', async () => {
    const dir = await converged();
    const r = await runLocal(dir);
    expect(planOf(r.events).nodes.some((n) => n.readOnly)).toBe(false);
    expect(Object.values(recapOf(r.events)).every((h) => h.readOnly === undefined)).toBe(true);
  });

  it('--list-hosts shows the hosts read outside the limit, per play', () => {
    const dir = workspace();
    writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play(dir) });
    const r = playCli(dir, '--limit', 'h3', '--list-hosts');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'play "play 1" (0 hosts):',
        '    h1 (read-only)',
        'play "play 2" (1 host):',
        '    h3',
        'play "play 3" (1 host):',
        '    h3',
        '',
      ].join('\n'),
    );
  });
});
