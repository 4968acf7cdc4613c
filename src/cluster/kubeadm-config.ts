/**
 * The kubeadm configuration the cluster roles write (CLUSTER.md 1.6): kubeadm.k8s.io/v1beta4
 * InitConfiguration + ClusterConfiguration, kubelet and kube-proxy configurations, as one
 * multi-document YAML file. No secret goes into it: the bootstrap token and the certificate
 * key are minted by kubeadm when a join needs them, so the file is the same on every run.
 */
import { stringify } from 'yaml';

/**
 * The Kubernetes minors the cluster roles support: the three maintained ones (late 2026: 1.37,
 * 1.36 and 1.35; 1.34 reached its end of life on 2026-10-27). The config API is v1beta4 for all
 * of them (v1beta3 is gone in 1.37; kubeadm's v1 is not usable yet).
 */
export const SUPPORTED_MINORS = { min: 35, max: 37 } as const;

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

/** A node as kubeadm registers it: its name and the address the kubelet and apiserver use. */
export interface NodeIdentity {
  name: string;
  ip: string;
}

const nodeRegistration = (node: NodeIdentity) => ({
  name: node.name,
  criSocket: CRI_SOCKET,
  // without it a multi-NIC host's node takes the default route's address
  kubeletExtraArgs: [{ name: 'node-ip', value: node.ip }],
});

export interface JoinMaterial {
  endpoint: string;
  token: string;
  caCertHash: string;
}

/**
 * A v1beta4 JoinConfiguration for every join (kubeadm refuses `--config` mixed with --token and
 * the like, so everything is in it): the node's name and node IP, and for a control-plane node
 * its apiserver's address and the certificate key. It carries secrets: it goes to kubeadm on
 * stdin (`--config /dev/stdin`), never to a file.
 */
export function joinConfig(
  m: JoinMaterial,
  node: NodeIdentity,
  controlPlane?: { certificateKey: string; bindPort: number },
): string {
  const doc = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'JoinConfiguration',
    discovery: {
      bootstrapToken: { apiServerEndpoint: m.endpoint, token: m.token, caCertHashes: [m.caCertHash] },
    },
    nodeRegistration: nodeRegistration(node),
    ...(controlPlane
      ? {
          controlPlane: {
            localAPIEndpoint: { advertiseAddress: node.ip, bindPort: controlPlane.bindPort },
            certificateKey: controlPlane.certificateKey,
          },
        }
      : {}),
  };
  return stringify(doc, { lineWidth: 0 });
}

export function initConfig(s: ClusterSettings, node: NodeIdentity): string {
  const docs = [
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'InitConfiguration',
      localAPIEndpoint: { advertiseAddress: node.ip, bindPort: s.apiserver_port },
      nodeRegistration: nodeRegistration(node),
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
