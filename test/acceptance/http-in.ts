/**
 * Acceptance step 5 (real machines): what serves HTTP on a MetalLB address, for each controller
 * `ingress_controller` runs. An echo server in a test namespace (removed afterwards) is routed
 * by an Ingress (ingress-nginx) and by an HTTPRoute on the role's Gateway (gateway); each must
 * answer through its Service's address, which must come from the pool (and be the pinned one).
 */
import { contains, parseRange } from '../../src/cluster/net.ts';
import { statusOf } from '../helpers/http-status.ts';

const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';
const NS = 'quorum-acceptance';
const HOST = 'echo.quorum-acceptance.test';

export interface HttpInContext {
  vars: Record<string, unknown>;
  onCp1: (cmd: string, stdin?: string) => Promise<string>;
  check: (ok: boolean, what: string) => void;
}

const ECHO = `apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: echo, namespace: ${NS} }
spec:
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      containers:
        - { name: echo, image: registry.k8s.io/e2e-test-images/agnhost:2.53, args: [netexec, --http-port=8080] }
---
apiVersion: v1
kind: Service
metadata: { name: echo, namespace: ${NS} }
spec: { selector: { app: echo }, ports: [{ port: 80, targetPort: 8080 }] }
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: echo, namespace: ${NS} }
spec:
  rules:
    - host: ${HOST}
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: echo, port: { number: 80 } } } }] }
`;

/** The README's HTTPRoute (section "From Ingress to HTTPRoute"), on the role's Gateway. */
const httpRoute = (gateway: string, namespace: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: echo, namespace: ${NS} }
spec:
  parentRefs: [{ name: ${gateway}, namespace: ${namespace} }]
  hostnames: [${HOST}]
  rules:
    - matches: [{ path: { type: PathPrefix, value: / } }]
      backendRefs: [{ name: echo, port: 80 }]
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function checkHttpIn(c: HttpInContext): Promise<void> {
  const controller = String(c.vars.ingress_controller ?? 'ingress-nginx');
  const routes: Array<{ what: string; service: [string, string]; pinned?: unknown; route: string }> = [];
  if (controller !== 'gateway')
    routes.push({
      what: 'an Ingress (ingress-nginx)',
      service: ['ingress-nginx', 'ingress-nginx-controller'],
      pinned: c.vars.ingress_nginx_lb_ip,
      route: INGRESS,
    });
  if (controller !== 'ingress-nginx') {
    const name = String(c.vars.gateway_name ?? 'gateway');
    const namespace = String(c.vars.gateway_namespace ?? 'nginx-gateway');
    // NGINX Gateway Fabric names a Gateway's Service <gateway>-<class>
    routes.push({
      what: `an HTTPRoute on Gateway ${namespace}/${name}`,
      service: [namespace, `${name}-nginx`],
      pinned: c.vars.gateway_lb_ip,
      route: httpRoute(name, namespace),
    });
  }
  await c.onCp1(
    `${KUBECTL} apply -f - && ${KUBECTL} -n ${NS} rollout status deployment/echo --timeout=180s`,
    ECHO,
  );
  const pool = String(c.vars.metallb_pool ?? '')
    .split(',')
    .map((r) => parseRange(r))
    .filter((r) => r !== undefined);
  for (const r of routes) {
    const [ns, svc] = r.service;
    const ip = (
      await c.onCp1(`${KUBECTL} -n ${ns} get svc ${svc} -o jsonpath='{.status.loadBalancer.ingress[0].ip}'`)
    ).trim();
    const range = parseRange(ip);
    c.check(
      Boolean(range && pool.some((p) => contains(p, range))) && (!r.pinned || r.pinned === ip),
      `Service ${ns}/${svc} has ${ip || 'no address'} from the pool ${c.vars.metallb_pool}${r.pinned ? ` (pinned: ${r.pinned})` : ''}`,
    );
    await c.onCp1(`${KUBECTL} apply -f -`, r.route);
    let status = 0;
    for (let i = 0; i < 30 && status !== 200 && ip; i++) {
      status = await statusOf({ https: false, host: ip, port: 80, path: '/', hostHeader: HOST });
      if (status !== 200) await sleep(2000);
    }
    c.check(status === 200, `${r.what} answers through ${ip || '(no address)'} (HTTP ${status})`);
  }
  await c.onCp1(`${KUBECTL} delete namespace ${NS} --wait=false`);
}
