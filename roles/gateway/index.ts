// gateway: the Gateway API on a MetalLB address, implemented by NGINX Gateway Fabric (the NGINX
// project's own successor of the retired ingress-nginx). Installs the Gateway API standard CRDs
// and NGF's own (waiting until they are Established, so the objects that use them map), the
// standard install's admission policy, NGF's default install (its GatewayClass `nginx`), then a
// Gateway whose LoadBalancer Service takes the pinned pool address, and waits until it is
// Programmed. Every file is pinned by sha256 (release.ts).
import type { JSONSchemaType } from 'ajv';
import type { RoleContext, RoleDefinition } from 'quorum';
import { ADDONS_DIR, fetchManifest, lbAddressErrors } from 'quorum/cluster';
import {
  type GatewayListener,
  type GatewayObjectParams,
  gatewayObject,
  listenerErrors,
  ngfManifest,
} from './objects.ts';
import { GATEWAY_API, NGF } from './release.ts';

export interface GatewayParams extends GatewayObjectParams {
  gateway_api_crds_base_url: string;
  gateway_crds_manifest_url: string;
  gateway_crds_manifest_sha256: string;
  gateway_manifest_url: string;
  gateway_manifest_sha256: string;
  gateway_kubeconfig: string;
  metallb_pool?: string;
  control_plane_vip?: string;
  ingress_nginx_lb_ip?: string;
}

const listener: JSONSchemaType<GatewayListener> = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 253 },
    protocol: { type: 'string', enum: ['HTTP', 'HTTPS'] },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    hostname: {
      type: 'string',
      nullable: true,
      pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
    },
    tls_secret: { type: 'string', nullable: true, pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' },
    routes_from: { type: 'string', nullable: true, enum: ['All', 'Same'] },
  },
  required: ['name', 'protocol', 'port'],
  additionalProperties: false,
};

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const CRDS_DIR = `${ADDONS_DIR}/gateway-api-${GATEWAY_API.version}+nginx-gateway-fabric-${NGF.version}-crds`;

const role: RoleDefinition<GatewayParams> = {
  name: 'gateway',
  description: `Gateway API ${GATEWAY_API.version} by NGINX Gateway Fabric ${NGF.version}: a Gateway on a MetalLB address`,
  needs: ['metallb'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      gateway_lb_ip: {
        type: 'string',
        nullable: true,
        description: "the Gateway Service's address, from the MetalLB pool (unset: MetalLB picks one)",
      },
      gateway_name: { type: 'string', pattern: DNS_LABEL, default: 'gateway', description: 'the Gateway' },
      gateway_namespace: {
        type: 'string',
        pattern: DNS_LABEL,
        default: NGF.namespace,
        description: "the Gateway's namespace (it must exist; TLS Secrets live there)",
      },
      gateway_listeners: {
        type: 'array',
        items: listener,
        default: [{ name: 'http', protocol: 'HTTP', port: 80 }],
        description:
          'listeners: {name, protocol: HTTP|HTTPS, port, hostname?, tls_secret? (HTTPS), routes_from?: All|Same (default All)}',
      },
      gateway_api_crds_base_url: {
        type: 'string',
        pattern: '^(https?|file)://',
        default: GATEWAY_API.baseUrl,
        description: `where the Gateway API ${GATEWAY_API.version} standard CRD files are (a mirror of exactly those bytes)`,
      },
      gateway_crds_manifest_url: {
        type: 'string',
        pattern: '^(https?|file)://',
        default: NGF.crds.url,
        description: `NGINX Gateway Fabric ${NGF.version}'s CRDs (deploy/crds.yaml)`,
      },
      gateway_crds_manifest_sha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        default: NGF.crds.sha256,
        description: 'its sha256',
      },
      gateway_manifest_url: {
        type: 'string',
        pattern: '^(https?|file)://',
        default: NGF.deploy.url,
        description: `NGINX Gateway Fabric ${NGF.version}'s install (deploy/default/deploy.yaml)`,
      },
      gateway_manifest_sha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        default: NGF.deploy.sha256,
        description: 'its sha256',
      },
      gateway_kubeconfig: {
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
        description: 'the API VIP, never the Gateway address',
      },
      ingress_nginx_lb_ip: {
        type: 'string',
        nullable: true,
        description: "ingress-nginx's address: never the Gateway's when both run (a migration)",
      },
    },
    required: [],
    additionalProperties: false,
  },
  check(entries, ctx) {
    const errors: string[] = [];
    for (const { host, params: p } of entries) {
      const at = (e: string) => `${host}: ${e}`;
      errors.push(...listenerErrors(p.gateway_listeners).map(at));
      if (!p.gateway_lb_ip) continue;
      errors.push(
        ...lbAddressErrors('gateway_lb_ip', p.gateway_lb_ip, p.metallb_pool, p.control_plane_vip).map(at),
      );
      if (ctx.roles.includes('ingress-nginx') && p.gateway_lb_ip === p.ingress_nginx_lb_ip)
        errors.push(
          at(
            `gateway_lb_ip ${p.gateway_lb_ip} is also ingress_nginx_lb_ip, and the playbook runs both: MetalLB gives an address to one Service only`,
          ),
        );
    }
    return errors;
  },
  async run(ctx, p) {
    const kubeconfig = p.gateway_kubeconfig;
    await ctx.file({ path: CRDS_DIR, state: 'directory', mode: '0755' });
    for (const [file, sha256] of Object.entries(GATEWAY_API.crds))
      await ctx.getUrl(
        {
          url: `${p.gateway_api_crds_base_url}/${file}`,
          dest: `${CRDS_DIR}/${file}`,
          checksum: `sha256:${sha256}`,
          mode: '0644',
        },
        { name: `download ${file}` },
      );
    await ctx.getUrl(
      {
        url: p.gateway_crds_manifest_url,
        dest: `${CRDS_DIR}/nginx-gateway-fabric-crds.yaml`,
        checksum: `sha256:${p.gateway_crds_manifest_sha256}`,
        mode: '0644',
      },
      { name: 'download nginx-gateway-fabric-crds.yaml' },
    );
    // objects of a CRD map only once it is Established: wait for that before they are applied
    await ctx.k8s(
      { path: CRDS_DIR, kubeconfig, wait: { for: 'condition=Established', timeout: 60 } },
      { name: `Gateway API ${GATEWAY_API.version} and NGINX Gateway Fabric ${NGF.version} CRDs` },
    );
    const policy = await fetchManifest(
      ctx,
      { url: `${p.gateway_api_crds_base_url}/${GATEWAY_API.policy.file}`, sha256: GATEWAY_API.policy.sha256 },
      `gateway-api-${GATEWAY_API.version}-${GATEWAY_API.policy.file}`,
    );
    await ctx.k8s({ path: policy, kubeconfig }, { name: 'the safe-upgrades admission policy' });
    await applyInstall(ctx, p);
    await ctx.k8s(
      {
        definition: gatewayObject(p),
        kubeconfig,
        wait: { for: 'condition=Programmed', timeout: 300 },
      },
      {
        name: `Gateway ${p.gateway_namespace}/${p.gateway_name}${p.gateway_lb_ip ? ` on ${p.gateway_lb_ip}` : ''}`,
      },
    );
  },
};

/** NGF's install, as ngfManifest makes it, applied; its control plane ready. */
async function applyInstall(ctx: RoleContext, p: GatewayParams) {
  const upstream = await fetchManifest(
    ctx,
    { url: p.gateway_manifest_url, sha256: p.gateway_manifest_sha256 },
    `nginx-gateway-fabric-${NGF.version}.upstream.yaml`,
  );
  const read = await ctx.ensure('slurp', { src: upstream }, { name: 'read the install manifest' });
  let content: unknown = read.result.text;
  if (typeof content === 'string') {
    try {
      content = ngfManifest(content);
    } catch (e) {
      ctx.fail(`${p.gateway_manifest_url}: ${(e as Error).message}`);
    }
  }
  const manifest = `${ADDONS_DIR}/nginx-gateway-fabric-${NGF.version}.yaml`;
  await ctx.copy({ dest: manifest, content: content as string, mode: '0644' }, { name: 'install manifest' });
  await ctx.k8s(
    {
      path: manifest,
      kubeconfig: p.gateway_kubeconfig,
      namespace: NGF.namespace,
      wait: {
        for: 'condition=ready',
        resource: 'pod',
        selector: 'app.kubernetes.io/name=nginx-gateway',
        timeout: 300,
      },
    },
    { name: `NGINX Gateway Fabric ${NGF.version}` },
  );
}

export default role;
