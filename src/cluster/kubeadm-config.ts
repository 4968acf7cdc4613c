/**
 * The kubeadm configuration the cluster roles write (CLUSTER.md 1.6): kubeadm.k8s.io/v1beta4
 * InitConfiguration + ClusterConfiguration, kubelet and kube-proxy configurations, as one
 * multi-document YAML file. No secret goes into it: the bootstrap token and the certificate
 * key are minted by kubeadm when a join needs them, so the file is the same on every run.
 */
import { stringify } from 'yaml';

/** The config API emitted: v1beta4 exists from 1.31; v1beta3 is gone in 1.37. */
export const SUPPORTED_MINORS = { min: 31, max: 36 } as const;

export interface ClusterSettings {
  kubernetes_version: string;
  cluster_name: string;
  control_plane_vip: string;
  control_plane_port: number;
  apiserver_port: number;
  pod_subnet: string;
  service_subnet: string;
  dns_domain: string;
  api_cert_sans: string[];
  kube_proxy_mode: 'iptables' | 'nftables' | 'ipvs';
}

export const CRI_SOCKET = 'unix:///run/containerd/containerd.sock';

export function kubeMinor(version: string): number {
  return Number(/^v?1\.(\d+)\./.exec(version)?.[1] ?? Number.NaN);
}

export function initConfig(s: ClusterSettings, node: { name: string; ip: string }): string {
  const docs = [
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'InitConfiguration',
      localAPIEndpoint: { advertiseAddress: node.ip, bindPort: s.apiserver_port },
      nodeRegistration: {
        name: node.name,
        criSocket: CRI_SOCKET,
        kubeletExtraArgs: [{ name: 'node-ip', value: node.ip }],
      },
    },
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: `v${s.kubernetes_version.replace(/^v/, '')}`,
      clusterName: s.cluster_name,
      // mandatory for HA and not cheaply changed later: every client goes through the VIP
      controlPlaneEndpoint: `${s.control_plane_vip}:${s.control_plane_port}`,
      networking: { podSubnet: s.pod_subnet, serviceSubnet: s.service_subnet, dnsDomain: s.dns_domain },
      apiServer: { certSANs: [...new Set([s.control_plane_vip, ...s.api_cert_sans])] },
    },
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
    },
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: s.kube_proxy_mode,
      // MetalLB L2 and kube-vip ARP need strict ARP under IPVS (CLUSTER.md 1.5, 1.11)
      ...(s.kube_proxy_mode === 'ipvs' ? { ipvs: { strictARP: true } } : {}),
    },
  ];
  return `${docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n')}`;
}
