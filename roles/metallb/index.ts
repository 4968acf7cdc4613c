// metallb: LoadBalancer addresses in Layer 2 mode (CLUSTER.md 1.11). Installs the pinned
// release manifest (v0.16.1, sha256 checked), waits for its pods, then applies the pool and
// its L2Advertisement, retried while the validating webhook is not yet answering (pitfall 18).
import type { RoleDefinition } from 'quorum';
import { fetchManifest, parseRange, throughWebhook } from 'quorum/cluster';
import { METALLB_NAMESPACE, type MetallbObjectsParams, metallbObjects } from './objects.ts';

export interface MetallbParams extends MetallbObjectsParams {
  metallb_manifest_url: string;
  metallb_manifest_sha256: string;
  metallb_kubeconfig: string;
  workers_group: string;
}

export const METALLB = {
  version: 'v0.16.1',
  url: 'https://raw.githubusercontent.com/metallb/metallb/v0.16.1/config/manifests/metallb-native.yaml',
  sha256: 'bf25feebb7582ca7df845efd52ffbc2960d6cbf4cfc972f47fded9f788b67f0b',
} as const;

const role: RoleDefinition<MetallbParams> = {
  name: 'metallb',
  description: `MetalLB ${METALLB.version} in Layer 2 mode: an address pool and its L2Advertisement`,
  needs: ['kubeadm-init', 'cni'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      metallb_pool: {
        type: 'string',
        description: 'addresses MetalLB hands out: ranges or CIDRs, comma-separated (a site value)',
      },
      metallb_pool_name: {
        type: 'string',
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        default: 'default',
        description: 'IPAddressPool name',
      },
      metallb_auto_assign: {
        type: 'boolean',
        default: true,
        description: 'hand out addresses from this pool unasked',
      },
      metallb_interfaces: {
        type: 'array',
        items: { type: 'string' },
        default: [] as string[],
        description: 'answer ARP only on these NICs (bonds, bridges, multi-homed nodes)',
      },
      metallb_node_selector: {
        type: 'object',
        additionalProperties: { type: 'string' },
        required: [],
        default: {},
        description: 'announce only from nodes with these labels',
      },
      metallb_manifest_url: {
        type: 'string',
        pattern: '^(https?|file)://',
        default: METALLB.url,
        description: `the release manifest (${METALLB.version}); a mirror of exactly those bytes`,
      },
      metallb_manifest_sha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        default: METALLB.sha256,
        description: 'its sha256',
      },
      metallb_kubeconfig: {
        type: 'string',
        default: '/etc/kubernetes/admin.conf',
        description: 'kubeconfig kubectl uses',
      },
      workers_group: {
        type: 'string',
        default: 'workers',
        description: 'worker nodes (the speakers that announce)',
      },
    },
    required: ['metallb_pool'],
    additionalProperties: false,
  },
  check(entries, ctx) {
    const errors: string[] = [];
    for (const e of entries) {
      for (const r of e.params.metallb_pool.split(','))
        if (!parseRange(r))
          errors.push(`${e.host}: metallb_pool entry "${r.trim()}" is not an address range or CIDR`);
    }
    if (!ctx.roles.includes('kubeadm-init'))
      errors.push(
        'metallb needs kubeadm-init in the playbook: its preflight checks the pool against the VIP, nodes and subnets',
      );
    return errors;
  },
  async run(ctx, p) {
    if (ctx.hosts(p.workers_group).length === 0)
      ctx.warn(
        `group "${p.workers_group}" is empty: MetalLB (>= 0.14) does not announce from nodes labelled node.kubernetes.io/exclude-from-external-load-balancers, which kubeadm puts on every control-plane node; remove the label or run speakers with --ignore-exclude-lb`,
      );
    const manifest = await fetchManifest(
      ctx,
      { url: p.metallb_manifest_url, sha256: p.metallb_manifest_sha256 },
      'metallb-native.yaml',
    );
    const kubeconfig = p.metallb_kubeconfig;
    await ctx.k8s(
      {
        path: manifest,
        kubeconfig,
        namespace: METALLB_NAMESPACE,
        wait: { for: 'condition=ready', resource: 'pod', selector: 'app=metallb', timeout: 120 },
      },
      { name: `MetalLB ${METALLB.version}` },
    );
    await ctx.k8s(
      { definition: metallbObjects(p), kubeconfig, namespace: METALLB_NAMESPACE },
      { name: `pool ${p.metallb_pool_name} and its L2Advertisement`, ...throughWebhook() },
    );
  },
};

export default role;
