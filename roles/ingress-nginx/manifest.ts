// The controller's release manifest as applied: its LoadBalancer Service pinned to an address of
// the MetalLB pool (metallb.io/loadBalancerIPs), its IngressClass made the default when asked.
import { parseAllDocuments } from 'yaml';

export interface IngressManifestParams {
  ingress_nginx_lb_ip?: string;
  ingress_nginx_default_class: boolean;
}

export const LB_IPS = 'metallb.io/loadBalancerIPs';
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
  // the admission Jobs carry ttlSecondsAfterFinished: 0, so Kubernetes deletes them once done and
  // every later apply creates them again: a second run could never be converged. Kept, a finished
  // Job is left as it is (its spec does not change between runs).
  for (const job of admissionJobs(docs)) job.deleteIn(['spec', 'ttlSecondsAfterFinished']);
  if (p.ingress_nginx_lb_ip) service.setIn(['metadata', 'annotations', LB_IPS], p.ingress_nginx_lb_ip);
  if (p.ingress_nginx_default_class) klass.setIn(['metadata', 'annotations', DEFAULT_CLASS], 'true');
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}

type Doc = ReturnType<typeof parseAllDocuments>[number];

/** The Jobs that create the admission webhook's certificate and patch the webhook with it. */
export function admissionJobs(docs: Doc[]): Doc[] {
  return docs.filter((d) => {
    const o = d.toJS() as { kind?: string; spec?: { ttlSecondsAfterFinished?: number } } | null;
    return o?.kind === 'Job' && o.spec?.ttlSecondsAfterFinished !== undefined;
  });
}
