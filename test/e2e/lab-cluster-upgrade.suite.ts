/**
 * upgrade.yml on the lab, 1.35.3 -> 1.36.1 (the stand-ins' two minors, real etcd): refused
 * before any change where kubeadm's version rules or a PodDisruptionBudget would stop it; an
 * upgrade that fails half way (a control-plane node's `kubeadm upgrade node`) stops there and the
 * same command finishes it, the done node only read; the check run predicts exactly what the run
 * does. Runs last: the lab is at 1.36.1 afterwards.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/report/events.ts';
import {
  CLUSTER,
  clusterLab,
  ETCDCTL,
  HOSTS,
  sh,
  sleep,
  standinLog,
  stateOf,
  THREE_VOTERS,
  votingMembers,
} from '../helpers/cluster-lab.ts';
import { canRunLab, changedCount, playJsonAsync } from '../helpers/lab.ts';

const UPGRADE = join(CLUSTER, '../upgrade.yml');
const TARGET = '1.36.1';
const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

const changes = (events: RunEvent[], status: 'changed' | 'would_change') =>
  events.flatMap((e) => (e.type === 'step' && e.status === status ? [`${e.host} ${e.task}`] : []));
const kubeletOf = (host: string) => sh(host, "dpkg-query -W -f='${Version}' kubelet").stdout.trim();
const apiserverOf = (host: string) =>
  sh(host, "grep -o 'kube-apiserver:v[0-9.]*' /etc/kubernetes/manifests/kube-apiserver.yaml").stdout.trim();
const warnings = (events: RunEvent[]) =>
  events.flatMap((e) => (e.type === 'warning' ? [e.message] : [])).join('\n');
const failureText = (events: RunEvent[]) =>
  JSON.stringify(events.filter((e) => (e.type === 'node_end' || e.type === 'step') && e.status === 'failed'));

/** A workload pinned to w1 whose PodDisruptionBudget allows no eviction. */
const PINNED = `apiVersion: apps/v1
kind: Deployment
metadata: { name: pinned, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: pinned } }
  template:
    metadata: { labels: { app: pinned } }
    spec:
      nodeSelector: { kubernetes.io/hostname: w1 }
      containers: [{ name: app, image: registry.example/app:1 }]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: pinned, namespace: default }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: pinned } }
`;

/** An object of the stand-in apiserver's one deprecated built-in API version (gone in 1.36). */
const WIDGET = `apiVersion: standin.k8s.io/v1beta1
kind: Widget
metadata: { name: old, namespace: default }
`;
const MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml';
/** cp1's own API server, by the address its certificate names (not the VIP's choice of one). */
const CP1_API = `https://$(sed -n 's/.*--advertise-address=\\([0-9.]*\\).*/\\1/p' ${MANIFEST}):$(sed -n 's/.*--secure-port=\\([0-9]*\\).*/\\1/p' ${MANIFEST})`;

describe.runIf(canRunLab)('upgrade.yml: 1.35.3 to 1.36.1', () => {
  const lab = clusterLab(false);
  // the stand-ins' repository of both minors, as cluster.yml gets it
  const upgrade = (args: string[] = [], version = TARGET) =>
    playJsonAsync(UPGRADE, [
      '-e',
      JSON.stringify(lab.addons),
      '-e',
      `kubernetes_version=${version}`,
      ...args,
    ]);

  it('starts from a converged 1.35.3 cluster', async () => {
    const r = await lab.play();
    expect(r.code, standinLog(r)).toBe(0);
    for (const h of HOSTS) expect(kubeletOf(h)).toBe('1.35.3-1.1');
  }, 600_000);

  it('a skipped minor and a downgrade are refused before any change, with the rule', async () => {
    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const skip = await upgrade([], '1.37.0');
    expect(skip.code).toBe(2);
    expect(failureText(skip.events)).toContain('skips a minor: the control plane is at 1.35.3');
    const down = await upgrade([], '1.35.2');
    expect(down.code).toBe(2);
    expect(failureText(down.events)).toContain(
      '1.35.2 is older than the control plane (1.35.3 on cp1): downgrades are not supported',
    );
    // a minor quorum does not support is refused offline, before any host
    const unsupported = await upgrade([], '1.34.9');
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain('kubernetes_version 1.34.9 is not a minor quorum supports');
    expect(changedCount(skip.events) + changedCount(down.events)).toBe(0);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
  }, 300_000);

  it('a PodDisruptionBudget that blocks a drain is named before any change', async () => {
    sh('cp1', `cat > /tmp/pinned.yaml <<'EOF'\n${PINNED}EOF`);
    expect(sh('cp1', `${KUBECTL} apply --server-side -f /tmp/pinned.yaml`).code).toBe(0);
    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const r = await upgrade(['--check']);
    expect(r.code).toBe(2);
    expect(failureText(r.events)).toMatch(
      /draining w1 would be blocked: .*violate the pod's disruption budget/,
    );
    expect(failureText(r.events)).not.toMatch(/draining (cp|w2)/);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
    expect(sh('cp1', `${KUBECTL} delete -f /tmp/pinned.yaml`).code).toBe(0);
  }, 300_000);

  it('an API the target no longer serves, still asked for, is named before any change, per API server', async () => {
    sh('cp1', `cat > /tmp/widget.yaml <<'EOF'\n${WIDGET}EOF`);
    const applied = sh('cp1', `${KUBECTL} --server ${CP1_API} apply --server-side -f /tmp/widget.yaml`);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toContain(
      'Warning: standin.k8s.io/v1beta1 Widget is deprecated in v1.35+, unavailable in v1.36+',
    );
    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const r = await upgrade(['--check']);
    expect(r.code).toBe(2);
    expect(failureText(r.events)).toContain(
      "cp1's API server was asked for APIs that 1.36.1 no longer serves: standin.k8s.io/v1beta1 widgets (removed in 1.36)",
    );
    // the gauge is each API server's own: the others were not asked
    expect(failureText(r.events)).not.toMatch(/cp[23]'s API server/);
    // allowed: a warning, and the plan goes on
    const allowed = await upgrade(['--check', '-e', '{"upgrade_allow_removed_apis": true}']);
    expect(allowed.code, failureText(allowed.events)).toBe(0);
    expect(warnings(allowed.events)).toContain(
      "cp1's API server was asked for APIs that 1.36.1 no longer serves",
    );
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);

    // moved off it, and that API server restarted (it counts since it started): no longer named
    expect(sh('cp1', `${KUBECTL} --server ${CP1_API} delete -f /tmp/widget.yaml`).code).toBe(0);
    sh('cp1', 'crictl ps --name kube-apiserver --state running -q | xargs -r crictl stop');
    let metrics = '';
    for (let i = 0; i < 30 && !metrics.includes('# TYPE apiserver_requested_deprecated_apis'); i++) {
      await sleep(1000);
      metrics = sh('cp1', `${KUBECTL} --server ${CP1_API} get --raw /metrics`).stdout;
    }
    expect(metrics).toContain('# TYPE apiserver_requested_deprecated_apis gauge');
    expect(metrics).not.toContain('widgets');
    const clean = await upgrade(['--check']);
    expect(clean.code, failureText(clean.events)).toBe(0);
  }, 300_000);

  it('stopped half way (cp2 fails), the same command finishes it; the check run predicts the rest exactly', async () => {
    sh('cp2', 'touch /etc/kubernetes/standin-fail-upgrade');
    const broken = await upgrade();
    expect(broken.code).toBe(2);
    const why = `${failureText(broken.events)}\n${standinLog()}`;
    // cp1 is done, cp2 failed in kubeadm upgrade node, nothing after it ran (any_errors_fatal)
    expect(apiserverOf('cp1'), why).toBe(`kube-apiserver:v${TARGET}`);
    expect(failureText(broken.events)).toContain('cp2');
    expect(kubeletOf('cp1')).toBe(`${TARGET}-1.1`);
    expect(apiserverOf('cp2')).toBe('kube-apiserver:v1.35.3');
    for (const h of ['cp3', 'w1', 'w2']) expect(kubeletOf(h)).toBe('1.35.3-1.1');
    sh('cp2', 'rm -f /etc/kubernetes/standin-fail-upgrade');

    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const check = await upgrade(['--check']);
    expect(check.code, check.stderr).toBe(0);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
    const predicted = changes(check.events, 'would_change');
    expect(predicted.some((c) => c.startsWith('cp1 '))).toBe(false);

    const r = await upgrade();
    expect(r.code, standinLog(r)).toBe(0);
    expect(changes(r.events, 'changed')).toEqual(predicted);
    for (const h of HOSTS) expect(kubeletOf(h)).toBe(`${TARGET}-1.1`);
    for (const h of ['cp1', 'cp2', 'cp3']) expect(apiserverOf(h)).toBe(`kube-apiserver:v${TARGET}`);
    expect(votingMembers()).toEqual(THREE_VOTERS);
    // every node schedulable again, none left cordoned
    expect(sh('cp1', `${KUBECTL} get nodes -o name`).stdout.trim().split('\n').sort()).toEqual(
      HOSTS.map((h) => `node/${h}`).sort(),
    );
    for (const h of HOSTS) expect(sh(h, 'test -e /var/lib/quorum/upgrade-drained').code).not.toBe(0);
    // the Node objects as the kubectl stand-in keeps them (JSON in the real etcd): none cordoned
    for (const h of HOSTS) {
      const node = JSON.parse(
        sh('cp1', `${ETCDCTL} get /registry/objects/v1/Node//${h} --print-value-only`).stdout,
      );
      expect(node.spec?.unschedulable ?? false, h).toBe(false);
    }
    expect(changedCount((await upgrade()).events)).toBe(0);
  }, 900_000);
});
