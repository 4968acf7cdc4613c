/** etcd-join's reading of the stacked etcd: members and their health, through the etcd pod. */
import { describe, expect, it } from 'vitest';
import {
  allVoting,
  etcdctl,
  healthyVoters,
  memberOf,
  parseMembers,
  removalRefusal,
  withEtcd,
} from '../../src/cluster/etcd.ts';

// `member list -w simple`, then `endpoint health -w json` of the started voters (etcd 3.5.16's
// output; 3.4's member list has the same six columns, learners included)
const LIST = [
  '8e9e05c52164694d, started, cp1, https://198.51.100.11:2380, https://198.51.100.11:2379, false',
  '91bc3c398fb3c146, started, cp2, https://198.51.100.12:2380, https://198.51.100.12:2379, false',
  'fd422379fda50e48, started, cp3, https://198.51.100.13:2380, https://198.51.100.13:2379, false',
].join('\n');
const HEALTH = JSON.stringify([
  { endpoint: 'https://198.51.100.11:2379', health: true, took: '2.1ms' },
  { endpoint: 'https://198.51.100.12:2379', health: true, took: '2.3ms' },
  { endpoint: 'https://198.51.100.13:2379', health: false, took: '5s', error: 'context deadline exceeded' },
]);

describe('etcd members', () => {
  it('a dead member is data (unhealthy), not a failure of the whole read', () => {
    const m = parseMembers(`${LIST}\n--health--\n${HEALTH}`);
    expect(m.map((x) => [x.name, x.healthy, x.learner])).toEqual([
      ['cp1', true, false],
      ['cp2', true, false],
      ['cp3', false, false],
    ]);
    expect(allVoting(m)).toBe(false);
    // the gate of a node replacing cp3 looks at the others only
    expect(allVoting(m.filter((x) => x !== memberOf(m, 'cp3', '198.51.100.13')))).toBe(true);
    expect(healthyVoters(m).map((x) => x.name)).toEqual(['cp1', 'cp2']);
  });

  it('a learner and an unstarted member are never voters', () => {
    const m = parseMembers(
      `${LIST.split('\n')[0]}\na1b2c3d4e5f60718, unstarted, , https://198.51.100.12:2380, , true\n--health--\n${HEALTH}`,
    );
    expect(m[1]).toMatchObject({ name: '', learner: true, healthy: false });
    expect(memberOf(m, 'cp2', '198.51.100.12')).toBe(m[1]);
    expect(allVoting(m)).toBe(false);
  });

  it('no health answer at all: nobody counts as healthy', () => {
    expect(parseMembers(`${LIST}\n--health--\n`).every((x) => !x.healthy)).toBe(true);
  });

  it('etcdctl runs inside the running etcd container (crictl), never a host etcdctl', () => {
    const cmd = withEtcd(etcdctl('member list -w simple'));
    expect(cmd).toMatch(/^c=\$\(crictl ps --name '\^etcd\$' --state running -q .*\); \[ -n "\$c" \] \|\| /);
    expect(cmd).toContain('crictl exec "$c" etcdctl --endpoints=https://127.0.0.1:2379');
    expect(cmd.replace(/crictl exec "\$c" etcdctl/g, '')).not.toMatch(/(^|[ ;&|])etcdctl /);
  });
});

describe('removing a member: refused where etcd would lose its quorum, with the arithmetic', () => {
  const members = (healthy: boolean[]) =>
    parseMembers(
      `${LIST}\n--health--\n${JSON.stringify(healthy.map((h, i) => ({ endpoint: `https://198.51.100.1${i + 1}:2379`, health: h })))}`,
    );
  const by = (m: ReturnType<typeof members>, name: string) => m.find((x) => x.name === name)!;

  it('three healthy voters: any one may go (two remain, both healthy, quorum 2)', () => {
    const m = members([true, true, true]);
    for (const name of ['cp1', 'cp2', 'cp3']) expect(removalRefusal(m, by(m, name))).toBeUndefined();
  });

  it('one voter down: the dead one may go; a healthy one may not (two remain, one healthy, quorum 2)', () => {
    const m = members([true, false, true]);
    expect(removalRefusal(m, by(m, 'cp2'))).toBeUndefined();
    expect(removalRefusal(m, by(m, 'cp3'))).toBe(
      'etcd member fd422379fda50e48 (cp3, healthy) cannot be removed: 2 voters would remain, 1 of them healthy, and their quorum needs 2 (floor(2/2)+1); bring the unhealthy members back first, or remove a member that is not answering',
    );
  });

  it('two of three down: quorum is already lost, nothing may go; restore is named', () => {
    const m = members([true, false, false]);
    const why = removalRefusal(m, by(m, 'cp3'));
    expect(why).toContain('1 of 3 voters are healthy and a removal needs a quorum of 2 (floor(3/2)+1)');
    expect(why).toContain('playbooks/etcd-restore.yml');
  });

  it('a learner never counts', () => {
    const m = parseMembers(
      `${LIST.replace(/false$/, 'true')}\n--health--\n${JSON.stringify([{ endpoint: 'https://198.51.100.11:2379', health: true }])}`,
    );
    expect(removalRefusal(m, by(m, 'cp3'))).toBeUndefined();
  });
});
