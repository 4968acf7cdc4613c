import { describe, expect, it } from 'vitest';
import { patchContainerdConfig, setTomlKey } from '../../roles/containerd/toml.ts';

const V2 = `version = 2
[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.6"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = ""
        SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = ""
`;

const V3 = `version = 3
[plugins]
  [plugins.'io.containerd.cri.v1.images']
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = 'registry.k8s.io/pause:3.10'
    [plugins.'io.containerd.cri.v1.images'.registry]
      config_path = ''
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
    SystemdCgroup = false
`;

const settings = {
  sandboxImage: 'registry.k8s.io/pause:3.10.1',
  registryConfigPath: '/etc/containerd/certs.d',
};

describe('containerd config patching', () => {
  it('patches a version 2 default (containerd 1.x)', () => {
    const out = patchContainerdConfig(V2, settings);
    expect(out).toContain('        SystemdCgroup = true\n');
    expect(out).toContain('    sandbox_image = "registry.k8s.io/pause:3.10.1"\n');
    expect(out).toContain('      config_path = "/etc/containerd/certs.d"\n');
    expect(out).toContain('        BinaryName = ""\n');
    expect(patchContainerdConfig(out, settings)).toBe(out);
  });

  it('patches a version 3 default (containerd 2.x)', () => {
    const out = patchContainerdConfig(V3, settings);
    expect(out).toContain("      sandbox = 'registry.k8s.io/pause:3.10.1'\n");
    expect(out).toContain("      config_path = '/etc/containerd/certs.d'\n");
    expect(out).toContain('    SystemdCgroup = true\n');
    expect(out).not.toContain('sandbox_image');
  });

  it('adds a key missing from its section, and a missing section', () => {
    expect(setTomlKey('[a]\nx = 1\n[b]\n', 'a', 'y', '2')).toBe('[a]\n  y = 2\nx = 1\n[b]\n');
    expect(setTomlKey('[a]\n', 'c', 'k', 'true')).toBe('[a]\n\n[c]\n  k = true\n');
  });
});
