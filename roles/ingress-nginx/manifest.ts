// The controller's release manifest as applied: its LoadBalancer Service pinned to an address of
// the MetalLB pool (metallb.io/loadBalancerIPs), its IngressClass made the default when asked.
import { keepFinishedJobs, LB_IPS } from 'quorum/cluster';
import { parseAllDocuments } from 'yaml';

export interface IngressManifestParams {
  ingress_nginx_lb_ip?: string;
  ingress_nginx_default_class: boolean;
}

export { LB_IPS };
export const DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';

export function ingressManifest(upstream: string, p: IngressManifestParams): string {
  const docs = parseAllDocuments(upstream);
  const find = (kind: string, name: string) =>
    docs.find((d) => {
      const o = d.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      return o?.kind === kind && o.metadata?.name === name;
    });
  const service = find('Service', 'ingress-nginx-controller');
  const klass = find('IngressClass', 'nginx');
  if (!service || !klass)
    throw new Error(
      'not the ingress-nginx release manifest: no Service ingress-nginx-controller or IngressClass nginx',
    );
  if ((service.toJS() as { spec?: { type?: string } }).spec?.type !== 'LoadBalancer')
    throw new Error(
      'its Service is not of type LoadBalancer: use the cloud manifest, not the baremetal one (NodePort)',
    );
  // the admission Jobs carry ttlSecondsAfterFinished: 0 (see keepFinishedJobs)
  keepFinishedJobs(docs);
  if (p.ingress_nginx_lb_ip) service.setIn(['metadata', 'annotations', LB_IPS], p.ingress_nginx_lb_ip);
  if (p.ingress_nginx_default_class) klass.setIn(['metadata', 'annotations', DEFAULT_CLASS], 'true');
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}
