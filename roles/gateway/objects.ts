// What the gateway role applies besides the pinned files: NGINX Gateway Fabric's default install
// as applied (its one-shot Job kept), and the Gateway itself on a MetalLB address.
import { keepFinishedJobs, LB_IPS } from 'quorum/cluster';
import { parseAllDocuments } from 'yaml';
import { NGF } from './release.ts';

export interface GatewayListener {
  name: string;
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  hostname?: string;
  /** HTTPS: the Secret (type kubernetes.io/tls) in the Gateway's namespace that terminates TLS. */
  tls_secret?: string;
  /** Routes of which namespaces may attach: All (like an IngressClass) or Same. */
  routes_from?: 'All' | 'Same';
}

export interface GatewayObjectParams {
  gateway_name: string;
  gateway_namespace: string;
  gateway_lb_ip?: string;
  gateway_listeners: GatewayListener[];
}

/** The default install with its cert-generator Job kept once finished (keepFinishedJobs). */
export function ngfManifest(upstream: string): string {
  const docs = parseAllDocuments(upstream);
  const kinds = docs.map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null);
  const klass = kinds.find((o) => o?.kind === 'GatewayClass');
  if (klass?.metadata?.name !== NGF.gatewayClass)
    throw new Error(`not NGINX Gateway Fabric's install: it has no GatewayClass "${NGF.gatewayClass}"`);
  const proxy = docs.find((d) => (d.toJS() as { kind?: string } | null)?.kind === 'NginxProxy');
  if (proxy?.getIn(['spec', 'kubernetes', 'service', 'type']) !== 'LoadBalancer')
    throw new Error(
      'its NginxProxy does not give Gateways a LoadBalancer Service: use deploy/default, not deploy/nodeport',
    );
  keepFinishedJobs(docs);
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}

/**
 * The Gateway: NGINX Gateway Fabric provisions an NGINX Deployment and a LoadBalancer Service
 * named `<gateway>-nginx` for it, and copies `spec.infrastructure.annotations` onto both
 * (internal/controller/provisioner/objects.go, v2.6.7): MetalLB reads its address there.
 */
export function gatewayObject(p: GatewayObjectParams) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: p.gateway_name, namespace: p.gateway_namespace },
    spec: {
      gatewayClassName: NGF.gatewayClass,
      ...(p.gateway_lb_ip ? { infrastructure: { annotations: { [LB_IPS]: p.gateway_lb_ip } } } : {}),
      listeners: p.gateway_listeners.map((l) => ({
        name: l.name,
        protocol: l.protocol,
        port: l.port,
        ...(l.hostname ? { hostname: l.hostname } : {}),
        ...(l.protocol === 'HTTPS'
          ? { tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: l.tls_secret }] } }
          : {}),
        allowedRoutes: { namespaces: { from: l.routes_from ?? 'All' } },
      })),
    },
  };
}

/** Offline checks of the listeners (what the Gateway CRD's CEL rules would refuse at apply). */
export function listenerErrors(listeners: GatewayListener[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const l of listeners) {
    if (seen.has(l.name)) errors.push(`gateway_listeners: the name "${l.name}" is used twice`);
    seen.add(l.name);
    if (l.protocol === 'HTTPS' && !l.tls_secret)
      errors.push(`gateway_listeners ${l.name}: HTTPS needs tls_secret (a kubernetes.io/tls Secret)`);
    if (l.protocol === 'HTTP' && l.tls_secret)
      errors.push(`gateway_listeners ${l.name}: tls_secret is for HTTPS listeners, this one is HTTP`);
  }
  const ports = new Map<string, string>();
  for (const l of listeners) {
    const key = `${l.port}/${l.protocol}/${l.hostname ?? '*'}`;
    const other = ports.get(key);
    if (other)
      errors.push(`gateway_listeners ${other} and ${l.name}: the same port, protocol and hostname (${key})`);
    ports.set(key, l.name);
  }
  if (listeners.length === 0)
    errors.push('gateway_listeners is empty: a Gateway needs at least one listener');
  return errors;
}
