// The objects the metallb role applies for Layer 2 (CLUSTER.md 1.11): one IPAddressPool and
// its L2Advertisement, from typed params.
export interface MetallbObjectsParams {
  metallb_pool: string;
  metallb_pool_name: string;
  metallb_auto_assign: boolean;
  metallb_interfaces: string[];
  metallb_node_selector: Record<string, string>;
}

export const METALLB_NAMESPACE = 'metallb-system';

export function metallbObjects(p: MetallbObjectsParams) {
  const metadata = { name: p.metallb_pool_name, namespace: METALLB_NAMESPACE };
  return [
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata,
      spec: {
        addresses: p.metallb_pool.split(',').map((r) => r.trim()),
        autoAssign: p.metallb_auto_assign,
      },
    },
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata,
      spec: {
        ipAddressPools: [p.metallb_pool_name],
        ...(p.metallb_interfaces.length ? { interfaces: p.metallb_interfaces } : {}),
        ...(Object.keys(p.metallb_node_selector).length
          ? { nodeSelectors: [{ matchLabels: p.metallb_node_selector }] }
          : {}),
      },
    },
  ];
}
