/** containerd's reads of the host beside containerd: the pause image kubeadm expects, IPVS modules, swap units. */
import { describe, expect, it } from 'vitest';
import role from '../../roles/containerd/index.ts';
import type { RoleContext, StepResult } from '../../src/roles/define.ts';

const DEFAULT_CONFIG = `version = 3
[plugins]
  [plugins.'io.containerd.cri.v1.images']
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = 'registry.k8s.io/pause:3.10'
    [plugins.'io.containerd.cri.v1.images'.registry]
      config_path = ''
  [plugins.'io.containerd.cri.v1.runtime']
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes]
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
          [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
            SystemdCgroup = false
`;

function recording(answers: Array<[RegExp, string]>) {
  const calls: Array<{ helper: string; params: Record<string, unknown> }> = [];
  const ctx = new Proxy({ host: 'cp1', vars: {} } as unknown as RoleContext, {
    get(target, key) {
      if (key in target) return target[key as keyof RoleContext];
      return async (a: unknown, b: Record<string, unknown>): Promise<StepResult> => {
        const params = (key === 'ensure' ? b : a) as Record<string, unknown>;
        calls.push({ helper: String(key), params });
        const cmd = String(params?.cmd ?? '');
        const stdout = answers.find(([re]) => re.test(cmd))?.[1] ?? '';
        return { changed: false, result: { stdout, rc: 0 } };
      };
    },
  });
  return { ctx, calls };
}

const base = {
  containerd_packages: ['containerd', 'runc'],
  containerd_registry_config_path: '/etc/containerd/certs.d',
  containerd_manage_kernel: true,
  kubernetes_version: '1.37.2',
};

describe('containerd: what it reads beside containerd', () => {
  it("pins the pause image the installed kubeadm lists for the cluster's version", async () => {
    const { ctx, calls } = recording([
      [/config default/, DEFAULT_CONFIG],
      [/kubeadm config images list --kubernetes-version v1\.37\.2/, 'registry.k8s.io/pause:3.10.2\n'],
    ]);
    await role.run(ctx, base);
    const config = calls.find((c) => c.params.dest === '/etc/containerd/config.toml');
    expect(config?.params.content).toContain("sandbox = 'registry.k8s.io/pause:3.10.2'");
  });

  it('a site value wins over kubeadm, which is then not asked', async () => {
    const { ctx, calls } = recording([[/config default/, DEFAULT_CONFIG]]);
    await role.run(ctx, { ...base, containerd_sandbox_image: 'mirror.example/pause:3.10.1' });
    expect(calls.some((c) => String(c.params.cmd ?? '').includes('kubeadm'))).toBe(false);
    const config = calls.find((c) => c.params.dest === '/etc/containerd/config.toml');
    expect(config?.params.content).toContain("sandbox = 'mirror.example/pause:3.10.1'");
  });

  it('kube-proxy in IPVS mode: its kernel modules persisted and loaded', async () => {
    const { ctx, calls } = recording([[/config default/, DEFAULT_CONFIG]]);
    await role.run(ctx, { ...base, containerd_sandbox_image: 'p', kube_proxy_mode: 'ipvs' });
    const modules = calls.find((c) => c.params.dest === '/etc/modules-load.d/k8s.conf');
    expect(modules?.params.content).toBe(
      'overlay\nbr_netfilter\nip_vs\nip_vs_rr\nip_vs_wrr\nip_vs_sh\nnf_conntrack\n',
    );
    expect(calls.filter((c) => c.helper === 'modprobe').map((c) => c.params.name)).toContain('ip_vs_sh');
  });

  it("systemd's swap units are masked (a boot would switch swap on again); none: nothing done", async () => {
    const { ctx, calls } = recording([
      [/config default/, DEFAULT_CONFIG],
      [/list-units --type=swap/, 'dev-sda2.swap\ndev-zram0.swap\n'],
    ]);
    await role.run(ctx, { ...base, containerd_sandbox_image: 'p' });
    expect(calls.find((c) => String(c.params.cmd ?? '').startsWith('systemctl mask'))?.params.cmd).toBe(
      'systemctl mask --now dev-sda2.swap dev-zram0.swap',
    );
    const none = recording([[/config default/, DEFAULT_CONFIG]]);
    await role.run(none.ctx, { ...base, containerd_sandbox_image: 'p' });
    expect(none.calls.some((c) => String(c.params.cmd ?? '').startsWith('systemctl mask'))).toBe(false);
  });
});
