// kube-vip: the alternative to keepalived + haproxy (CLUSTER.md 1.5): a static pod in ARP mode
// with leader election. On the first control-plane node, Kubernetes 1.29 and later need
// super-admin.conf during `kubeadm init` (kube-vip#684); the others use admin.conf.
import type { RoleDefinition } from 'quorum';

export interface KubeVipParams {
  control_plane_vip: string;
  control_plane_group: string;
  apiserver_port: number;
  kube_vip_interface: string;
  kube_vip_version: string;
  kube_vip_services: boolean;
  kubernetes_version: string;
  kube_vip_manifest_dir: string;
}

/** Kubernetes minor version from "v1.35.0" / "1.35". */
export function kubeMinor(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : Number.NaN;
}

const role: RoleDefinition<KubeVipParams> = {
  name: 'kube-vip',
  description:
    'control-plane VIP by kube-vip (static pod, ARP, leader election); excludes keepalived + haproxy',
  // nothing changes on any node until every node passed its preflight
  needs: ['node-preflight'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      control_plane_vip: { type: 'string', description: 'the control-plane VIP (a site value: no default)' },
      control_plane_group: {
        type: 'string',
        default: 'control_plane',
        description: 'inventory group of the control-plane nodes',
      },
      apiserver_port: {
        type: 'integer',
        minimum: 1,
        maximum: 65535,
        default: 6443,
        description: 'kube-apiserver port behind the VIP',
      },
      kube_vip_interface: { type: 'string', default: 'eth0', description: 'interface for ARP' },
      kube_vip_version: {
        type: 'string',
        pattern: '^v\\d+\\.\\d+\\.\\d+$',
        default: 'v1.0.3',
        description: 'image tag of ghcr.io/kube-vip/kube-vip',
      },
      kube_vip_services: {
        type: 'boolean',
        default: false,
        description: 'also serve LoadBalancer Services (never together with MetalLB)',
      },
      kubernetes_version: {
        type: 'string',
        pattern: '^v?1\\.\\d+',
        default: 'v1.35.0',
        description: 'decides the super-admin.conf handling',
      },
      kube_vip_manifest_dir: {
        type: 'string',
        default: '/etc/kubernetes/manifests',
        description: 'kubelet static pod folder',
      },
    },
    required: ['control_plane_vip'],
    additionalProperties: false,
  },
  check(entries, ctx) {
    const errors: string[] = [];
    const clash = ['keepalived', 'haproxy'].filter((r) => ctx.roles.includes(r));
    if (clash.length)
      errors.push(
        `kube-vip and ${clash.join(' + ')} both manage the control-plane VIP: use one of them (keepalived + haproxy, or kube-vip)`,
      );
    if (ctx.roles.includes('metallb') && entries.some((e) => e.params.kube_vip_services)) {
      errors.push(
        'kube_vip_services is true while the metallb role serves LoadBalancer Services: set kube_vip_services to false',
      );
    }
    return errors;
  },
  async run(ctx, p) {
    const first = ctx.hosts(p.control_plane_group)[0] === ctx.host;
    // only the init node has super-admin.conf, and only it needs it while admin.conf is not yet
    // bound, during `kubeadm init`; once init has run, kubeadm-init switched to admin.conf
    const initDone = first
      ? (await ctx.ensure('stat', { path: '/etc/kubernetes/admin.conf' }, { name: 'cluster initialised?' }))
          .result.stat
      : undefined;
    const kubeconfig =
      first && kubeMinor(p.kubernetes_version) >= 29 && (initDone as { exists?: boolean })?.exists !== true
        ? '/etc/kubernetes/super-admin.conf'
        : '/etc/kubernetes/admin.conf';
    await ctx.file({ path: p.kube_vip_manifest_dir, state: 'directory', mode: '0755' });
    await ctx.copy({
      dest: `${p.kube_vip_manifest_dir}/kube-vip.yaml`,
      content: ctx.render('kube-vip.yaml.hbs', { kubeconfig }),
      mode: '0600',
    });
  },
};

export default role;
