/**
 * The Gateway API on the lab (issue 23): the converged cluster of lab-cluster.suite.ts switched
 * to `ingress_controller: gateway`. The kubectl stand-in keeps objects in the cluster's real
 * etcd, validates custom resources against the CRDs stored there (the pinned Gateway API and
 * NGINX Gateway Fabric ones), and sets a Gateway Programmed only once NGF's controller runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_API, NGF } from '../../roles/gateway/release.ts';
import type { RunEvent } from '../../src/report/events.ts';
import { clusterLab, ETCDCTL, HOSTS, sh, standinLog, stateOf } from '../helpers/cluster-lab.ts';
import { canRunLab, changedCount, playJsonAsync } from '../helpers/lab.ts';

const GATEWAY = ['-e', 'ingress_controller=gateway'];
const object = (key: string) => {
  const r = sh('cp1', `${ETCDCTL} get /registry/objects/${key} --print-value-only`);
  return r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
};
const gatewayKeys = () =>
  sh('cp1', `${ETCDCTL} get --prefix /registry/objects/gateway.networking.k8s.io/ --keys-only`)
    .stdout.split('\n')
    .filter(Boolean);
const steps = (events: RunEvent[], status: string) =>
  events.flatMap((e) => (e.type === 'step' && e.status === status ? [`${e.host} ${e.task}`] : []));

/** The README's HTTPRoute ("From Ingress to HTTPRoute"), with its namespace and backend Service. */
const README_ROUTE = `- hosts: control_plane[0]
  tasks:
    - name: the echo app's namespace and Service
      k8s:
        definition:
          - { apiVersion: v1, kind: Namespace, metadata: { name: web } }
          - apiVersion: v1
            kind: Service
            metadata: { name: echo, namespace: web }
            spec: { selector: { app: echo }, ports: [{ port: 80, targetPort: 8080 }] }
    - name: echo route
      k8s:
        definition:
          apiVersion: gateway.networking.k8s.io/v1
          kind: HTTPRoute
          metadata: { name: echo, namespace: web }
          spec:
            parentRefs: [{ name: gateway, namespace: nginx-gateway }]
            hostnames: [echo.example.com]
            rules:
              - matches: [{ path: { type: PathPrefix, value: / } }]
                backendRefs: [{ name: echo, port: 80 }]
`;

describe.runIf(canRunLab)('cluster.yml with ingress_controller: gateway on the lab', () => {
  const lab = clusterLab(false);

  it('a check run on the converged cluster plans the gateway role and writes nothing', async () => {
    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const r = await lab.play([...GATEWAY, '--check']);
    expect(r.code, r.stderr).toBe(0);
    const would = steps(r.events, 'would_change');
    expect(would.length).toBeGreaterThan(0);
    expect(would.every((s) => s.startsWith('cp1 gateway: '))).toBe(true);
    expect(would).toContain(
      `cp1 gateway: Gateway API ${GATEWAY_API.version} and NGINX Gateway Fabric ${NGF.version} CRDs`,
    );
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
    expect(gatewayKeys()).toEqual([]);
  }, 300_000);

  it('converges: the CRDs, NGF, and a Programmed Gateway on its pool address; again and --check change nothing', async () => {
    const first = await lab.play(GATEWAY);
    expect(first.code, `${first.stderr}\n${standinLog()}`).toBe(0);
    // the ingress-nginx role did not run (its warning neither); its objects stay as they were
    expect(first.events.some((e) => e.type === 'warning' && e.message.includes('retired upstream'))).toBe(
      false,
    );
    expect(steps(first.events, 'changed').every((s) => s.startsWith('cp1 gateway: '))).toBe(true);
    for (const crd of ['gateways', 'httproutes', 'gatewayclasses', 'referencegrants', 'nginxproxies'])
      expect(
        sh(
          'cp1',
          `${ETCDCTL} get --prefix /registry/objects/apiextensions.k8s.io/v1/CustomResourceDefinition// --keys-only`,
        ).stdout,
      ).toMatch(new RegExp(`/${crd}\\.gateway\\.(networking\\.k8s\\.io|nginx\\.org)$`, 'm'));
    // GatewayClass is cluster-scoped (its CRD says so): stored without a namespace
    expect(object('gateway.networking.k8s.io/v1/GatewayClass//nginx').spec.controllerName).toBe(
      'gateway.nginx.org/nginx-gateway-controller',
    );
    const gateway = object('gateway.networking.k8s.io/v1/Gateway/nginx-gateway/gateway');
    expect(gateway.spec.infrastructure).toEqual({
      annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.201' },
    });
    expect(gateway.spec.listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
    ]);
    // NGF's cert-generator Job is kept once done (upstream's 30 s TTL would make every run create it)
    const job = object('batch/v1/Job/nginx-gateway/nginx-gateway-cert-generator');
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(object('v1/Service/ingress-nginx/ingress-nginx-controller')).toBeDefined();

    const second = await lab.play(GATEWAY);
    expect(second.code).toBe(0);
    expect(steps(second.events, 'changed')).toEqual([]);
    const before = Object.fromEntries(HOSTS.map((h) => [h, stateOf(h)]));
    const check = await lab.play([...GATEWAY, '--check']);
    expect(check.code).toBe(0);
    expect(changedCount(check.events)).toBe(0);
    for (const h of HOSTS) expect(stateOf(h)).toEqual(before[h]);
  }, 600_000);

  it("the README's HTTPRoute applies, validated against the stored CRD; a second run changes nothing", async () => {
    const file = join(lab.repoDir, 'route.yml');
    writeFileSync(file, README_ROUTE);
    const r = await playJsonAsync(file);
    expect(r.code, `${r.stderr}\n${standinLog()}`).toBe(0);
    expect(steps(r.events, 'changed')).toEqual([
      "cp1 the echo app's namespace and Service",
      'cp1 echo route',
    ]);
    expect(object('gateway.networking.k8s.io/v1/HTTPRoute/web/echo').spec.parentRefs).toEqual([
      { name: 'gateway', namespace: 'nginx-gateway' },
    ]);
    const again = await playJsonAsync(file);
    expect(again.code).toBe(0);
    expect(changedCount(again.events)).toBe(0);
    // the stand-in's API server refuses what the CRD does not admit (here past quorum's offline
    // check, which a manifest on the host does not get): the step fails with its message
    const bad = sh(
      'cp1',
      `printf '%s' '{"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"bad","namespace":"web"},"spec":{"rules":[{"backendRef":[]}]}}' | kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side -f -`,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/HTTPRoute "bad" is invalid: unknown field "spec.rules\[0\].backendRef"/);
    for (const key of [
      'gateway.networking.k8s.io/v1/HTTPRoute/web/echo',
      'v1/Service/web/echo',
      'v1/Namespace//web',
    ])
      sh('cp1', `${ETCDCTL} del /registry/objects/${key}`);
  }, 300_000);
});
