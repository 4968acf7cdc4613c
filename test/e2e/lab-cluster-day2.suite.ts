/**
 * Day 2 on the lab (real etcd, the stand-ins for kubeadm/kubectl): remove-node refusing what
 * would break etcd, with the arithmetic; a worker and a control-plane node removed and added
 * back with `cluster.yml --limit NODE`, where the other hosts are only read. Each removal's
 * check run predicts exactly what the run then does; a second run changes nothing. A node that
 * does not answer (its link cut) is removed without it, then reset and joined when back. Runs after
 * lab-cluster-recovery.suite.ts (a converged cluster).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import {
  CLUSTER,
  clusterLab,
  ETCDCTL,
  HOSTS,
  members,
  START_NODE,
  STOP_NODE,
  sh,
  sleep,
  standinLog,
  stateOf,
  THREE_VOTERS,
  votingMembers,
} from '../helpers/cluster-lab.ts';
import { canRunLab, changedCount, playJsonAsync } from '../helpers/lab.ts';

const REMOVE = join(CLUSTER, '../remove-node.yml');
const RENEW = join(CLUSTER, '../certs-renew.yml');
const RESET = join(CLUSTER, '../reset.yml');
const APISERVER_CRT = '/etc/kubernetes/pki/apiserver.crt';
/** Days until the certificate at `path` on `host` expires. */
const daysLeft = (host: string, path: string) => {
  const end = sh(host, `openssl x509 -noout -enddate -in ${path}`).stdout.trim().split('=')[1];
  return Math.floor((Date.parse(end) - Date.now()) / 86_400_000);
};
const warnings = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'warning' ? [e.message] : [])).join('\n');

const changes = (events: RunEvent[], status: 'changed' | 'would_change') =>
  events.flatMap((e) => (e.type === 'step' && e.status === status ? [`${e.host} ${e.task}`] : []));
const nodesOfCluster = () =>
  sh('cp1', 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name').stdout.trim().split('\n');
const readOnlyHosts = (events: RunEvent[]) => {
  const plan = events.find((e) => e.type === 'plan') as Extract<RunEvent, { type: 'plan' }>;
  return [...new Set(plan.nodes.filter((n) => n.readOnly).map((n) => n.host))].sort();
};

/** Every node healthy again after a stop (bounded: 60 tries, 1 s apart). */
async function allHealthy() {
  for (let i = 0; i < 60; i++) {
    if (sh('cp1', `${ETCDCTL} endpoint health --cluster`).code === 0) return;
    await sleep(1000);
  }
  throw new Error(`etcd not healthy again: ${sh('cp1', `${ETCDCTL} endpoint health --cluster`).stderr}`);
}

/** remove-node for `node`: the check run first, then the run, which must do what it predicted. */
async function removeNode(node: string) {
  const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
  const check = await playJsonAsync(REMOVE, ['-e', `node=${node}`, '--check']);
  expect(check.code, check.stderr).toBe(0);
  for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
  const r = await playJsonAsync(REMOVE, ['-e', `node=${node}`]);
  expect(r.code, standinLog(r)).toBe(0);
  expect(changes(r.events, 'changed')).toEqual(changes(check.events, 'would_change'));
  expect(nodesOfCluster()).not.toContain(`node/${node}`);
  expect(sh(node, 'test -e /etc/kubernetes/kubelet.conf').code).not.toBe(0);
  expect(changedCount((await playJsonAsync(REMOVE, ['-e', `node=${node}`])).events)).toBe(0);
  return r;
}

/** cluster.yml --limit `node`: only `node` changes (and cp1 by the join material it mints). */
async function addBack(lab: ReturnType<typeof clusterLab>, node: string) {
  const others = HOSTS.filter((h) => h !== node && h !== 'cp1');
  const before = Object.fromEntries(others.map((h) => [h, stateOf(h)]));
  const r = await lab.play(['--limit', node]);
  expect(r.code, standinLog(r)).toBe(0);
  // kubeadm-init's join material is read on cp1, every node's identity for the duplicate check
  expect(readOnlyHosts(r.events)).toEqual(HOSTS.filter((h) => h !== node).sort());
  const outside = changes(r.events, 'changed').filter((c) => !c.startsWith(`${node} `));
  for (const c of outside)
    expect(c).toMatch(/^cp1 kubeadm-init: (mint a bootstrap token|upload certificates)/);
  for (const h of others) expect(stateOf(h)).toEqual(before[h]);
  expect(nodesOfCluster()).toContain(`node/${node}`);
  expect(changes((await lab.play(['--limit', node])).events, 'changed')).toEqual([]);
  return r;
}

describe.runIf(canRunLab)('day 2: remove nodes, add them back with --limit', () => {
  const lab = clusterLab(false);

  it('starts from a converged cluster', async () => {
    const r = await lab.play();
    expect(r.code, standinLog(r)).toBe(0);
    expect(votingMembers()).toEqual(THREE_VOTERS);
  }, 600_000);

  it('removing a healthy control-plane node while another is down is refused with the arithmetic, nothing changed', async () => {
    // a stop that did not happen would let the removal go on and break every later test
    const stopped = sh('cp2', STOP_NODE);
    expect(stopped.code, stopped.stderr).toBe(0);
    try {
      const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
      const r = await playJsonAsync(REMOVE, ['-e', 'node=cp3']);
      expect(r.code).toBe(2);
      expect(JSON.stringify(r.events)).toContain(
        '2 voters would remain, 1 of them healthy, and their quorum needs 2 (floor(2/2)+1)',
      );
      expect(changedCount(r.events)).toBe(0);
      for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
      expect(members().map((m) => m.name)).toContain('cp3');
    } finally {
      sh('cp2', START_NODE);
    }
    await allHealthy();
  }, 300_000);

  it('the last control-plane node and a host not in the inventory are refused before any host', async () => {
    const r = await playJsonAsync(REMOVE, ['-e', 'node=w9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('node "w9" is no host of the inventory');
  });

  it('a worker removed, then added back with --limit: only it changes, the others are read', async () => {
    await removeNode('w2');
    await addBack(lab, 'w2');
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 900_000);

  it('a control-plane node removed (its etcd member by ID), then added back with --limit', async () => {
    const old = members().find((m) => m.name === 'cp3')!;
    const r = await removeNode('cp3');
    expect(changes(r.events, 'changed')).toContain(`cp1 remove-node: remove etcd member ${old.id} (cp3)`);
    expect(
      members()
        .map((m) => m.name)
        .sort(),
    ).toEqual(['cp1', 'cp2']);
    await addBack(lab, 'cp3');
    expect(votingMembers()).toEqual(THREE_VOTERS);
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 900_000);

  it('a control-plane node that does not answer: its member removed by ID, the Node deleted, a warning; reset and joined when it is back', async () => {
    const old = members().find((m) => m.name === 'cp2')!;
    const others = HOSTS.filter((h) => h !== 'cp2');
    // the host stays up, cut off from every other host and from the controller
    execFileSync('ip', ['link', 'set', 'qv-cp2', 'down']);
    try {
      const before = Object.fromEntries(others.map((h) => [h, stateOf(h)]));
      const check = await playJsonAsync(REMOVE, ['-e', 'node=cp2', '--check']);
      expect(check.code, check.stderr).toBe(0);
      for (const h of others) expect(stateOf(h)).toEqual(before[h]);
      const r = await playJsonAsync(REMOVE, ['-e', 'node=cp2']);
      expect(r.code, standinLog(r)).toBe(0);
      expect(changes(r.events, 'changed')).toEqual(changes(check.events, 'would_change'));
      expect(changes(r.events, 'changed')).toEqual([
        'cp1 remove-node: drain cp2',
        `cp1 remove-node: remove etcd member ${old.id} (cp2)`,
        'cp1 remove-node: delete Node cp2',
      ]);
      expect(warnings(r.events)).toMatch(/cp2 does not answer: not reset .*reset\.yml --limit cp2/);
      expect(nodesOfCluster()).not.toContain('node/cp2');
      expect(
        members()
          .map((m) => m.name)
          .sort(),
      ).toEqual(['cp1', 'cp3']);
      expect(changedCount((await playJsonAsync(REMOVE, ['-e', 'node=cp2'])).events)).toBe(0);
    } finally {
      execFileSync('ip', ['link', 'set', 'qv-cp2', 'up']);
    }
    // back, with its old cluster state: reset first (its member is gone already), then joined
    expect(sh('cp2', 'test -e /etc/kubernetes/kubelet.conf').code).toBe(0);
    const reset = await playJsonAsync(RESET, ['--limit', 'cp2', '-e', 'reset_confirmation=yes']);
    expect(reset.code, standinLog(reset)).toBe(0);
    await addBack(lab, 'cp2');
    expect(votingMembers()).toEqual(THREE_VOTERS);
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 900_000);

  it('certificates: cluster.yml says when they expire, warns under 30 days; certs-renew renews them one node at a time', async () => {
    // cp2's API server certificate signed again by the cluster's CA, valid 10 days
    const resign = [
      `openssl x509 -x509toreq -in ${APISERVER_CRT} -signkey /etc/kubernetes/pki/apiserver.key -out /tmp/a.csr -copy_extensions copyall`,
      `openssl x509 -req -in /tmp/a.csr -CA /etc/kubernetes/pki/ca.crt -CAkey /etc/kubernetes/pki/ca.key -CAcreateserial -days 10 -copy_extensions copyall -out ${APISERVER_CRT}`,
    ].join(' && ');
    expect(sh('cp2', resign).code).toBe(0);
    expect(daysLeft('cp2', APISERVER_CRT)).toBeLessThan(11);
    const seen = await lab.play();
    expect(seen.code, standinLog(seen)).toBe(0);
    expect(warnings(seen.events)).toMatch(
      /cp2 certs-check: certificates expire within 30 days: apiserver in (9|10) days .*playbooks\/certs-renew\.yml/,
    );
    expect(warnings(seen.events)).not.toMatch(/cp[13] certs-check/);
    // the controller's kept answer (certs-cache.ts) serves cp1 and cp3, whose files did not
    // change; cp2's new certificate makes kubeadm read them again
    const readBy = (e: RunEvent) =>
      e.type === 'step' && e.task === 'certs-check: kubeadm certs check-expiration' ? [e.host] : [];
    expect(seen.events.flatMap(readBy)).toEqual(['cp2']);

    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const check = await playJsonAsync(RENEW, ['--check']);
    expect(check.code, check.stderr).toBe(0);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
    const predicted = changes(check.events, 'would_change');
    expect(predicted.length).toBeGreaterThan(0);
    expect(predicted.every((c) => c.startsWith('cp2 '))).toBe(true);
    const renewed = await playJsonAsync(RENEW);
    expect(renewed.code, standinLog(renewed)).toBe(0);
    expect(changes(renewed.events, 'changed')).toEqual(predicted);
    expect(daysLeft('cp2', APISERVER_CRT)).toBeGreaterThan(360);
    // served: the API server answers with the renewed certificate
    const served = sh(
      'cp1',
      'echo | openssl s_client -connect 198.51.100.12:6443 2>/dev/null | openssl x509 -noout -enddate',
    ).stdout;
    expect(Date.parse(served.trim().split('=')[1]) - Date.now()).toBeGreaterThan(360 * 86_400_000);
    expect(votingMembers()).toEqual(THREE_VOTERS);
    expect(changedCount((await playJsonAsync(RENEW)).events)).toBe(0);
    const after = await lab.play();
    expect(warnings(after.events)).not.toContain('certs-check: certificates expire');
    expect(changedCount(after.events)).toBe(0);
  }, 600_000);

  it('reset.yml: refused without confirmation; with it, one node back to before cluster.yml, then joined again', async () => {
    const before = stateOf('w2');
    const refused = await playJsonAsync(RESET, ['--limit', 'w2']);
    expect(refused.code).toBe(2);
    expect(JSON.stringify(refused.events)).toContain('not reset: reset_confirmation is not \\"yes\\"');
    expect(stateOf('w2')).toEqual(before);
    const yes = ['--limit', 'w2', '-e', 'reset_confirmation=yes'];
    const check = await playJsonAsync(RESET, [...yes, '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(stateOf('w2')).toEqual(before);
    const r = await playJsonAsync(RESET, yes);
    expect(r.code, standinLog(r)).toBe(0);
    expect(changes(r.events, 'changed')).toEqual(changes(check.events, 'would_change'));
    for (const gone of ['/etc/kubernetes/kubelet.conf', '/etc/kubernetes/pki/ca.crt', '/etc/cni/net.d'])
      expect(sh('w2', `test -e ${gone}`).code, gone).not.toBe(0);
    // the packages stay, held
    expect(sh('w2', 'apt-mark showhold').stdout).toContain('kubelet');
    expect(changedCount((await playJsonAsync(RESET, yes)).events)).toBe(0);
    const back = await lab.play(['--limit', 'w2']);
    expect(back.code, standinLog(back)).toBe(0);
    expect(sh('w2', 'test -s /etc/kubernetes/kubelet.conf').code).toBe(0);
    expect(changedCount((await lab.play()).events)).toBe(0);
  }, 600_000);
});
