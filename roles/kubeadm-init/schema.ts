// The cluster-wide params kubeadm-init reads (and checks offline), as JSON schema properties.
// Site values have no default: the inventory must say them.
export const clusterParamSchema = {
  kubernetes_version: {
    type: 'string',
    pattern: '^1\\.\\d+\\.\\d+$',
    description: 'e.g. 1.37.2 (supported: the maintained minors 1.35 to 1.37)',
  },
  cluster_name: { type: 'string', default: 'kubernetes', description: 'ClusterConfiguration.clusterName' },
  control_plane_vip: { type: 'string', description: 'the API VIP (controlPlaneEndpoint host)' },
  control_plane_port: {
    type: 'integer',
    minimum: 1,
    maximum: 65535,
    default: 8443,
    description: "the VIP's port: haproxy's frontend (8443) or, with kube-vip, the apiserver's 6443",
  },
  control_plane_prefix: {
    type: 'integer',
    minimum: 8,
    maximum: 32,
    default: 24,
    description: 'prefix length of the node subnet',
  },
  control_plane_group: { type: 'string', default: 'control_plane', description: 'control-plane nodes' },
  workers_group: { type: 'string', default: 'workers', description: 'worker nodes' },
  apiserver_port: {
    type: 'integer',
    minimum: 1,
    maximum: 65535,
    default: 6443,
    description: 'kube-apiserver port',
  },
  api_lb: {
    type: 'string',
    enum: ['haproxy', 'kube-vip'],
    default: 'haproxy',
    description: 'what holds the VIP: keepalived + haproxy, or kube-vip',
  },
  ingress_controller: {
    type: 'string',
    enum: ['ingress-nginx', 'gateway', 'both'],
    default: 'ingress-nginx',
    description: 'HTTP in: ingress-nginx (retired), gateway (NGINX Gateway Fabric), both while moving',
  },
  pod_subnet: {
    type: 'string',
    default: '10.244.0.0/16',
    description: 'networking.podSubnet (= the CNI pod CIDR)',
  },
  service_subnet: { type: 'string', default: '10.96.0.0/12', description: 'networking.serviceSubnet' },
  dns_domain: { type: 'string', default: 'cluster.local', description: 'networking.dnsDomain' },
  api_cert_sans: {
    type: 'array',
    items: { type: 'string' },
    default: [] as string[],
    description: 'extra apiserver certificate SANs (the VIP is always one)',
  },
  kube_proxy_mode: {
    type: 'string',
    enum: ['iptables', 'nftables', 'ipvs'],
    default: 'iptables',
    description: 'kube-proxy mode (ipvs sets strictARP for MetalLB and kube-vip)',
  },
  metallb_pool: {
    type: 'string',
    nullable: true,
    description: 'the MetalLB pool, checked against the other ranges (range or CIDR)',
  },
} as const;

/** The cluster params a site must give: the others have defaults (the MetalLB pool is optional). */
export const clusterRequired = ['kubernetes_version', 'control_plane_vip'] as const;
