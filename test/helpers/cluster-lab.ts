/**
 * The cluster lab suites' shared set-up: the lab, the stand-ins' signed apt repository and the
 * add-ons' mirror served on the controller address, and what the tests read on the nodes.
 */
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { labSshArgs, stateDir } from '../../src/lab/lab.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { serveRepo } from '../fixtures/k8s-standin/repo.ts';
import { buildLabMirror } from '../fixtures/k8s-standin/serve-lab.ts';
import { quorum } from './cli.ts';
import { ensureLab, playJsonAsync, upperSnapshot } from './lab.ts';

const ROOT = join(import.meta.dirname, '../..');
export const CLUSTER = join(ROOT, 'playbooks/cluster.yml');
const CONTROLLER = '198.51.100.1';
const UPSTREAM = join(ROOT, 'test/fixtures/upstream');
export const CPS = ['cp1', 'cp2', 'cp3'];
export const HOSTS = [...CPS, 'w1', 'w2'];
// the etcd image's own client: nothing of etcd is on a node's PATH (the roles go through crictl)
export const ETCDCTL =
  'ETCDCTL_API=3 /usr/lib/k8s-standin/images/etcd/etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key --command-timeout=4s';

/**
 * A command on a node, as `quorum lab ssh HOST CMD` runs it (the same ssh, key and known_hosts),
 * without starting quorum's CLI each time: the suites read the nodes a few hundred times, and a
 * Node start per read blocked the test worker for tens of seconds on a loaded machine.
 */
export function sh(host: string, cmd: string): { code: number; stdout: string; stderr: string } {
  const args = labSshArgs(host);
  if (!args) throw new Error(`no lab host named ${host}`);
  const r = spawnSync('ssh', [...args, cmd], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
/**
 * Why a run failed, for assertion messages: when given the run, its stderr (an input error has
 * no step), failed steps (with their messages), failed nodes and warnings; then the stand-ins' own logs
 * (their output is hidden by no_log).
 */
export const standinLog = ({ events = [], stderr = '' }: { events?: RunEvent[]; stderr?: string } = {}) =>
  [
    ...(stderr.trim() ? [`stderr: ${stderr.trim().slice(-3000)}`] : []),
    ...events.flatMap((e) =>
      e.type === 'step' && e.status === 'failed'
        ? [`failed: ${e.host} ${e.task}: ${JSON.stringify(e.error ?? e.message ?? '').slice(0, 2000)}`]
        : e.type === 'warning'
          ? [`warning: ${e.message.slice(0, 500)}`]
          : // a node that failed without a step of its own (a role's precondition, a dependency)
            e.type === 'node_end' && e.status === 'failed'
            ? [`node failed: ${e.host} ${e.item}: ${String(e.reason ?? '').slice(0, 2000)}`]
            : [],
    ),
    ...HOSTS.map((h) => `${h}: ${sh(h, 'cat /var/log/k8s-standin.log 2>/dev/null').stdout}`),
  ].join('\n');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MemberRow {
  id: string;
  state: string;
  name: string;
  learner: boolean;
}

/** "ID, started, NAME, PEERS, CLIENTS, IS_LEARNER" rows of the member list, read on `host`. */
export function members(host = 'cp1'): MemberRow[] {
  const r = sh(host, `${ETCDCTL} member list`);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(',').map((f) => f.trim()))
    .map((f) => ({ id: f[0], state: f[1], name: f[2], learner: f[5] === 'true' }));
}

export const votingMembers = () =>
  members()
    .map((m) => [m.name, m.state, m.learner])
    .sort();
export const THREE_VOTERS = [
  ['cp1', 'started', false],
  ['cp2', 'started', false],
  ['cp3', 'started', false],
];

/** Stops a control-plane node's Kubernetes side: the kubelet, then its static pods, waited for (10 s at most). */
export { START_NODE, STOP_NODE } from '../fixtures/k8s-standin/node-control.ts';

/** Paths under a host's upper layer that the node's daemons write on their own (etcd, logs). */
const daemonPath = (p: string) =>
  /^\/(var\/lib\/etcd|var\/log|run|tmp|var\/cache|root\/\.cache)(\/|$)/.test(p);
export const stateOf = (host: string) =>
  Object.fromEntries(Object.entries(upperSnapshot(host)).filter(([p]) => !daemonPath(p)));

/**
 * Registers the suite's set-up: with `fresh`, the lab is made anew (hosts without any state);
 * the repository and mirror are served for the suite. `play` runs cluster.yml with them.
 */
export function clusterLab(fresh: boolean) {
  const lab = {
    repoDir: '',
    addons: {} as Record<string, string>,
    play: (args: string[] = []) => playJsonAsync(CLUSTER, ['-e', JSON.stringify(lab.addons), ...args]),
  };
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    if (fresh) {
      expect(quorum(['lab', 'down']).code).toBe(0);
      // down leaves no runtime file of the apt proxy behind (its cache stays, on purpose)
      for (const f of ['apt-proxy.pid', 'apt-proxy.sock', 'state.json', 'inventory.yml'])
        expect(existsSync(join(stateDir(), f))).toBe(false);
    }
    await ensureLab();
    lab.repoDir = mkdtempSync(join(tmpdir(), 'quorum-standin-repo-'));
    // the stand-ins' signed apt repository, and a mirror of the add-ons' release manifests: the
    // byte-exact upstream copies (their pinned sha256 holds) and a manifest in flannel's shape
    lab.addons = buildLabMirror(lab.repoDir, UPSTREAM);
    server = serveRepo(lab.repoDir, CONTROLLER);
    const repo = lab.addons.kubernetes_repo_base;
    for (let i = 0; i < 50 && sh('cp1', `curl -fs -o /dev/null ${repo}/v1.35/deb/Release`).code !== 0; i++)
      await sleep(100);
  }, 300_000);
  afterAll(() => {
    server?.kill();
    rmSync(lab.repoDir, { recursive: true, force: true });
  });
  return lab;
}
