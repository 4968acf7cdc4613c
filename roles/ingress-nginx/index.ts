// ingress-nginx: the NGINX Ingress controller behind a MetalLB address (CLUSTER.md 1.12).
// Installs the pinned controller release (v1.15.1, the cloud manifest: a LoadBalancer Service),
// pins that Service to an address of the pool, makes `nginx` the default IngressClass when
// asked, and waits for the controller (which serves the admission webhook). Upstream retired
// ingress-nginx in March 2026: the role says so once per run; the successor is Gateway API.
import type { RoleDefinition } from 'quorum';
import { fetchManifest, lbAddressErrors } from 'quorum/cluster';
import { type IngressManifestParams, ingressManifest } from './manifest.ts';

export interface IngressNginxParams extends IngressManifestParams {
  ingress_nginx_manifest_url: string;
  ingress_nginx_manifest_sha256: string;
  ingress_nginx_kubeconfig: string;
  metallb_pool?: string;
  control_plane_vip?: string;
}

export const INGRESS_NGINX = {
  version: 'v1.15.1',
  url: 'https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.15.1/deploy/static/provider/cloud/deploy.yaml',
  sha256: '502fddca66b09c20dd48b6d0a792a9671cd663a3a0d2a8bda5ae990d13b6c5b2',
} as const;

export const RETIRED =
  'ingress-nginx was retired upstream in March 2026 (v1.15.1 is its last release: no further fixes, security fixes included); plan the move to a Gateway API implementation (see roles/ingress-nginx/README.md)';

const role: RoleDefinition<IngressNginxParams> = {
  name: 'ingress-nginx',
  description: `NGINX Ingress controller ${INGRESS_NGINX.version} (retired upstream) on a MetalLB address`,
  needs: ['metallb'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      ingress_nginx_lb_ip: {
        type: 'string',
        nullable: true,
        description: "the controller Service's address, from the MetalLB pool (unset: MetalLB picks one)",
      },
      ingress_nginx_default_class: {
        type: 'boolean',
        default: true,
        description: 'make nginx the default IngressClass',
      },
      ingress_nginx_manifest_url: {
        type: 'string',
        pattern: '^(https?|file)://',
        default: INGRESS_NGINX.url,
        description: `the cloud manifest of ${INGRESS_NGINX.version}; a mirror of exactly those bytes`,
      },
      ingress_nginx_manifest_sha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        default: INGRESS_NGINX.sha256,
        description: 'its sha256',
      },
      ingress_nginx_kubeconfig: {
        type: 'string',
        default: '/etc/kubernetes/admin.conf',
        description: 'kubeconfig kubectl uses',
      },
      metallb_pool: {
        type: 'string',
        nullable: true,
        description: 'the MetalLB pool the address must lie in',
      },
      control_plane_vip: {
        type: 'string',
        nullable: true,
        description: 'the API VIP, never the ingress address',
      },
    },
    required: [],
    additionalProperties: false,
  },
  check(entries) {
    const errors: string[] = [];
    for (const { host, params: p } of entries) {
      if (p.ingress_nginx_lb_ip)
        for (const e of lbAddressErrors(
          'ingress_nginx_lb_ip',
          p.ingress_nginx_lb_ip,
          p.metallb_pool,
          p.control_plane_vip,
        ))
          errors.push(`${host}: ${e}`);
    }
    return errors;
  },
  async run(ctx, p) {
    ctx.warn(RETIRED);
    const upstream = await fetchManifest(
      ctx,
      { url: p.ingress_nginx_manifest_url, sha256: p.ingress_nginx_manifest_sha256 },
      `ingress-nginx-${INGRESS_NGINX.version}.upstream.yaml`,
    );
    const read = await ctx.ensure('slurp', { src: upstream }, { name: 'read the manifest' });
    let content: unknown = read.result.text;
    if (typeof content === 'string') {
      try {
        content = ingressManifest(content, p);
      } catch (e) {
        ctx.fail(`${p.ingress_nginx_manifest_url}: ${(e as Error).message}`);
      }
    }
    const manifest = `/etc/kubernetes/addons/ingress-nginx-${INGRESS_NGINX.version}.yaml`;
    await ctx.copy(
      { dest: manifest, content: content as string, mode: '0644' },
      { name: 'manifest with the address' },
    );
    await ctx.k8s(
      {
        path: manifest,
        kubeconfig: p.ingress_nginx_kubeconfig,
        namespace: 'ingress-nginx',
        wait: {
          for: 'condition=ready',
          resource: 'pod',
          selector: 'app.kubernetes.io/component=controller',
          timeout: 300,
        },
      },
      { name: `ingress-nginx ${INGRESS_NGINX.version}` },
    );
  },
};

export default role;
