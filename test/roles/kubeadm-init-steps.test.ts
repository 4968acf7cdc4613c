/**
 * kubeadm-init's decisions that the lab cannot reach (kube-vip's image does not run there),
 * through a recording role context: the super-admin.conf switch of CLUSTER.md 1.5.
 */
import { describe, expect, it } from 'vitest';
import role, { type KubeadmInitParams } from '../../roles/kubeadm-init/index.ts';
import type { RoleContext, StepResult } from '../../src/roles/define.ts';

function recording(rcOfGrep: number) {
  const calls: Array<{ helper: string; params: Record<string, unknown> }> = [];
  const published = new Map<string, unknown>();
  const ctx = new Proxy({ host: 'cp1', vars: { ansible_host: '198.51.100.11' } } as unknown as RoleContext, {
    get(target, key) {
      if (key in target) return target[key as keyof RoleContext];
      if (key === 'publish') return (k: string, v: unknown) => published.set(k, v);
      return async (params: Record<string, unknown>): Promise<StepResult> => {
        calls.push({ helper: String(key), params });
        const cmd = String(params.cmd ?? '');
        const rc = cmd.startsWith('grep') ? rcOfGrep : 0;
        return { changed: false, result: { rc, stdout: cmd.includes('openssl') ? 'abc -' : '' } };
      };
    },
  });
  return { ctx, calls, published };
}

const params: KubeadmInitParams = {
  kubernetes_version: '1.35.3',
  cluster_name: 'quorum',
  control_plane_vip: '198.51.100.10',
  control_plane_port: 6443,
  control_plane_prefix: 24,
  control_plane_group: 'control_plane',
  workers_group: 'workers',
  apiserver_port: 6443,
  api_lb: 'kube-vip',
  pod_subnet: '10.244.0.0/16',
  service_subnet: '10.96.0.0/12',
  dns_domain: 'cluster.local',
  api_cert_sans: [],
  kube_proxy_mode: 'iptables',
  kubeadm_config_path: '/etc/kubernetes/kubeadm.yaml',
  etcdctl_package: 'etcd-client',
};

const sed = (calls: Array<{ helper: string; params: Record<string, unknown> }>) =>
  calls.filter((c) => String(c.params.cmd ?? '').startsWith('sed'));

describe('kubeadm-init with kube-vip', () => {
  it('after init, switches the kube-vip manifest from super-admin.conf back to admin.conf', async () => {
    const { ctx, calls, published } = recording(0);
    await role.run(ctx, params);
    expect(sed(calls).map((c) => c.params.cmd)).toEqual([
      'sed -i s#/etc/kubernetes/super-admin.conf#/etc/kubernetes/admin.conf# /etc/kubernetes/manifests/kube-vip.yaml',
    ]);
    // the switch comes after init
    const order = calls.map((c) => String(c.params.cmd ?? ''));
    expect(order.findIndex((c) => c.startsWith('kubeadm init'))).toBeLessThan(
      order.findIndex((c) => c.startsWith('sed')),
    );
    expect(published.get('endpoint')).toBe('198.51.100.10:6443');
    expect(published.get('ca_cert_hash')).toBe('sha256:abc');
  });

  it('leaves the manifest alone once switched, and with haproxy never looks', async () => {
    const switched = recording(1);
    await role.run(switched.ctx, params);
    expect(sed(switched.calls)).toEqual([]);
    const haproxy = recording(0);
    await role.run(haproxy.ctx, { ...params, api_lb: 'haproxy', control_plane_port: 8443 });
    expect(haproxy.calls.some((c) => String(c.params.cmd ?? '').startsWith('grep'))).toBe(false);
  });

  it('a Kubernetes before 1.29 never used super-admin.conf: nothing to switch', async () => {
    const old = recording(0);
    await role.run(old.ctx, { ...params, kubernetes_version: '1.28.9' });
    expect(sed(old.calls)).toEqual([]);
  });
});
