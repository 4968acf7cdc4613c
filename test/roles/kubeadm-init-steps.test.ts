/**
 * kubeadm-init's decisions through a recording role context: the super-admin.conf switch of
 * CLUSTER.md 1.5 (the lab cannot run kube-vip's image), and what a finished init is.
 */
import { describe, expect, it } from 'vitest';
import role, { type KubeadmInitParams } from '../../roles/kubeadm-init/index.ts';
import { INIT_STATE } from '../../roles/kubeadm-init/init-state.ts';
import { RESET_KEEPING_MANIFESTS } from '../../src/cluster/reset.ts';
import type { RoleContext, StepResult } from '../../src/roles/define.ts';

function recording(rcOfGrep: number, initState = 'fresh') {
  const calls: Array<{ helper: string; params: Record<string, unknown> }> = [];
  const published = new Map<string, unknown>();
  const target = {
    host: 'cp1',
    vars: { ansible_host: '198.51.100.11' },
    hosts: () => ['cp1'],
    // node-preflight is not in this recording: nothing published
    lookup: () => {
      throw new Error('not published');
    },
  };
  const ctx = new Proxy(target as unknown as RoleContext, {
    get(target, key) {
      if (key in target) return target[key as keyof RoleContext];
      if (key === 'publish') return (k: string, v: unknown) => published.set(k, v);
      return async (params: Record<string, unknown>): Promise<StepResult> => {
        calls.push({ helper: String(key), params });
        const cmd = String(params.cmd ?? '');
        const rc = cmd.startsWith('grep') ? rcOfGrep : 0;
        const stdout = cmd.includes('openssl') ? 'abc -' : cmd === INIT_STATE ? `${initState}\n` : '';
        return { changed: false, result: { rc, stdout } };
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
  ingress_controller: 'ingress-nginx',
  pod_subnet: '10.244.0.0/16',
  service_subnet: '10.96.0.0/12',
  dns_domain: 'cluster.local',
  api_cert_sans: [],
  kube_proxy_mode: 'iptables',
  kubeadm_config_path: '/etc/kubernetes/kubeadm.yaml',
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

describe('kubeadm-init: a finished init, not admin.conf, decides', () => {
  const cmds = (calls: Array<{ helper: string; params: Record<string, unknown> }>) =>
    calls.map((c) => String(c.params.cmd ?? '')).filter(Boolean);
  const haproxy = { ...params, api_lb: 'haproxy' as const, control_plane_port: 8443 };

  it('fresh: the images are pulled, then kubeadm init', async () => {
    const { ctx, calls } = recording(0, 'fresh');
    await role.run(ctx, haproxy);
    const order = cmds(calls);
    const pull = order.indexOf('kubeadm config images pull --config /etc/kubernetes/kubeadm.yaml');
    expect(pull).toBeGreaterThan(-1);
    expect(pull).toBeLessThan(
      order.indexOf('kubeadm init --config /etc/kubernetes/kubeadm.yaml --upload-certs'),
    );
    expect(order).not.toContain(RESET_KEEPING_MANIFESTS);
  });

  it('done (kubeadm-config in etcd): nothing is pulled, reset or initialised', async () => {
    const { ctx, calls } = recording(0, 'done');
    await role.run(ctx, haproxy);
    expect(cmds(calls).filter((c) => c.startsWith('kubeadm') || c === RESET_KEEPING_MANIFESTS)).toEqual([]);
  });

  it('half (admin.conf but no kubeadm-config): reset keeping other static pods, then init again', async () => {
    const { ctx, calls } = recording(0, 'half');
    await role.run(ctx, haproxy);
    const order = cmds(calls);
    const reset = order.indexOf(RESET_KEEPING_MANIFESTS);
    expect(reset).toBeGreaterThan(-1);
    expect(reset).toBeLessThan(
      order.indexOf('kubeadm init --config /etc/kubernetes/kubeadm.yaml --upload-certs'),
    );
    expect(calls.find((c) => c.helper === 'warn')?.params).toMatch(/stopped before it finished/);
  });
});
