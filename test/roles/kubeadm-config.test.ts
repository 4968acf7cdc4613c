/** The kubeadm configuration kubeadm-init writes: v1beta4 documents from typed params, no secrets. */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type ClusterSettings, initConfig } from '../../src/cluster/kubeadm-config.ts';

const settings: ClusterSettings = {
  kubernetes_version: '1.35.3',
  cluster_name: 'quorum',
  control_plane_vip: '198.51.100.10',
  control_plane_port: 8443,
  apiserver_port: 6443,
  pod_subnet: '10.244.0.0/16',
  service_subnet: '10.96.0.0/12',
  dns_domain: 'cluster.local',
  api_cert_sans: ['api.example.test', '198.51.100.10'],
  kube_proxy_mode: 'iptables',
};

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

describe('kubeadm config', () => {
  it('is v1beta4 Init + Cluster configuration with kubelet and kube-proxy documents', () => {
    const [init, cluster, kubelet, proxy, ...rest] = docs(
      initConfig(settings, { name: 'cp1', ip: '198.51.100.11' }),
    );
    expect(rest).toEqual([]);
    expect(init).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'InitConfiguration',
      localAPIEndpoint: { advertiseAddress: '198.51.100.11', bindPort: 6443 },
      nodeRegistration: {
        name: 'cp1',
        criSocket: 'unix:///run/containerd/containerd.sock',
        kubeletExtraArgs: [{ name: 'node-ip', value: '198.51.100.11' }],
      },
    });
    expect(cluster).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.35.3',
      clusterName: 'quorum',
      controlPlaneEndpoint: '198.51.100.10:8443',
      networking: { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local' },
      apiServer: { certSANs: ['198.51.100.10', 'api.example.test'] },
    });
    expect(kubelet).toEqual({
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
    });
    expect(proxy).toEqual({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
    });
  });

  it('sets strictARP only for IPVS, and carries neither token nor certificate key', () => {
    const text = initConfig({ ...settings, kube_proxy_mode: 'ipvs' }, { name: 'cp1', ip: '198.51.100.11' });
    expect(docs(text)[3]).toMatchObject({ mode: 'ipvs', ipvs: { strictARP: true } });
    expect(text).not.toMatch(/bootstrapTokens|certificateKey|token/);
  });
});
