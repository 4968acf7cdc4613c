/** containerd's reads of the host beside containerd: the pause image kubeadm expects, IPVS modules, swap units. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG, INPUTS_FILE, PATCH_REVISION } from '../../roles/containerd/config-inputs.ts';
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
    expect(calls.some((c) => /kubeadm config/.test(String(c.params.cmd ?? '')))).toBe(false);
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

describe('containerd: config.toml made again only when what it is made from changed', () => {
  const PROGRAMS = '/usr/bin/containerd 41203712 1767225600\n/usr/bin/kubeadm 72585400 1767225601\n';
  const read = (programs: string, record: string, config: string) =>
    `${programs}--record--\n${record}--config--\n${config}--end--\n`;
  const started = (calls: Array<{ params: Record<string, unknown> }>) =>
    calls.filter((c) => /config default|config images list/.test(String(c.params.cmd ?? ''))).length;
  const written = (calls: Array<{ params: Record<string, unknown> }>, dest: string) =>
    String(calls.find((c) => c.params.dest === dest)?.params.content);
  const answers = (state: string): Array<[RegExp, string]> => [
    [/--record--/, state],
    [/config default/, DEFAULT_CONFIG],
    [/kubeadm config images list/, 'registry.k8s.io/pause:3.10.2\n'],
  ];

  /** A first run on a node with the programs and no config: what it writes. */
  async function converge(params = base) {
    const { ctx, calls } = recording(answers(read(PROGRAMS, '', '')));
    await role.run(ctx, params);
    expect(started(calls)).toBe(2);
    return { config: written(calls, CONFIG), record: written(calls, INPUTS_FILE) };
  }

  it('a converged node: one read, neither program started, the same config and record', async () => {
    const first = await converge();
    expect(first.config).toContain("sandbox = 'registry.k8s.io/pause:3.10.2'");
    const { ctx, calls } = recording(answers(read(PROGRAMS, first.record, first.config)));
    await role.run(ctx, base);
    expect(started(calls)).toBe(0);
    expect(written(calls, CONFIG)).toBe(first.config);
    expect(written(calls, INPUTS_FILE)).toBe(first.record);
  });

  it('made again when the config was edited, a program changed or a setting did', async () => {
    const first = await converge();
    const again = async (state: string, params = base) => {
      const { ctx, calls } = recording(answers(state));
      await role.run(ctx, params);
      return { started: started(calls), config: written(calls, CONFIG) };
    };
    const edited = await again(read(PROGRAMS, first.record, first.config.replace('true', 'false')));
    expect(edited).toEqual({ started: 2, config: first.config });
    const upgraded = await again(
      read(PROGRAMS.replace('1767225601', '1767312000'), first.record, first.config),
    );
    expect(upgraded.started).toBe(2);
    const setting = await again(read(PROGRAMS, first.record, first.config), {
      ...base,
      kubernetes_version: '1.37.3',
    });
    expect(setting.started).toBe(2);
    // no trailing newline, or the record's lines changed: the digests no longer hold
    expect((await again(read(PROGRAMS, first.record, first.config.trimEnd()))).started).toBe(2);
    expect(
      (await again(read(PROGRAMS, first.record.replace('inputs ', 'inputs 0'), first.config))).started,
    ).toBe(2);
  });

  // toml.ts decides what a config is made of: a change to it must make every node's again
  it("toml.ts's text is the one PATCH_REVISION stands for", () => {
    const text = readFileSync(join(import.meta.dirname, '../../roles/containerd/toml.ts'));
    const digest = createHash('sha256').update(text).digest('hex');
    expect({ PATCH_REVISION, digest }).toEqual({
      PATCH_REVISION: 1,
      digest: 'd056372aecd5f0aeb1bd1526fc88125007ae82720c03a788e8b14752f80177a5',
    });
  });
});
