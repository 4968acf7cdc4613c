// containerd: the container runtime and its host prerequisites (CLUSTER.md 1.1, 1.2).
import { known, type RoleContext, type RoleDefinition } from 'quorum';
import {
  CONFIG,
  currentConfig,
  INPUTS_FILE,
  inputsRecord,
  READ_INPUTS,
  readInputs,
} from './config-inputs.ts';
import { IPVS_MODULES, kubeadmPauseImage, maskSwapUnits } from './host.ts';
import { patchContainerdConfig } from './toml.ts';

export interface ContainerdParams {
  containerd_packages: string[];
  /** An apt repository to install from instead of the distribution's (e.g. Docker's, for containerd 2.x). */
  containerd_apt_repo?: { deb: string; key_url: string; key_checksum?: string } | null;
  containerd_sandbox_image?: string | null;
  containerd_registry_config_path: string;
  containerd_manage_kernel: boolean;
  kubernetes_version?: string | null;
  kube_proxy_mode?: string | null;
}

const SYSCTLS: Array<[string, string]> = [
  ['net.ipv4.ip_forward', '1'],
  ['net.bridge.bridge-nf-call-iptables', '1'],
  ['net.bridge.bridge-nf-call-ip6tables', '1'],
];

const role: RoleDefinition<ContainerdParams> = {
  name: 'containerd',
  description: 'kernel modules, sysctls, swap off, containerd + runc with a patched default config, crictl',
  // nothing changes on any node until every node passed its preflight
  needs: ['node-preflight'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      containerd_packages: {
        type: 'array',
        items: { type: 'string' },
        default: ['containerd', 'runc'],
        description: 'packages from the distribution or a configured repo',
      },
      containerd_apt_repo: {
        type: 'object',
        nullable: true,
        properties: {
          deb: {
            type: 'string',
            pattern: '^deb ',
            description: 'the sources line, signed-by /etc/apt/keyrings/containerd.asc',
          },
          key_url: { type: 'string', pattern: '^https?://' },
          key_checksum: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$', nullable: true },
        },
        required: ['deb', 'key_url'],
        additionalProperties: false,
        description: 'install from this apt repository instead of the distribution',
      },
      containerd_sandbox_image: {
        type: 'string',
        nullable: true,
        description:
          "pause image; unset: the one the installed kubeadm lists for kubernetes_version (kubeadm warns when the CRI's differs)",
      },
      kubernetes_version: {
        type: 'string',
        nullable: true,
        description: 'the cluster version whose pause image containerd pins (kubeadm config images list)',
      },
      kube_proxy_mode: {
        type: 'string',
        nullable: true,
        description: 'ipvs loads the IPVS kernel modules kube-proxy needs',
      },
      containerd_registry_config_path: {
        type: 'string',
        default: '/etc/containerd/certs.d',
        description: 'hosts.toml folder for registry mirrors',
      },
      containerd_manage_kernel: {
        type: 'boolean',
        default: true,
        description: 'modules, sysctls and swap (off for hosts that share a kernel)',
      },
    },
    required: [],
    additionalProperties: false,
  },
  handlers: {
    async 'restart containerd'(ctx) {
      await ctx.service({
        name: 'containerd',
        state: 'restarted',
        command: '/usr/bin/containerd',
        pidfile: '/run/quorum-containerd.pid',
      });
    },
  },
  async run(ctx, p) {
    const modules = ['overlay', 'br_netfilter', ...(p.kube_proxy_mode === 'ipvs' ? IPVS_MODULES : [])];
    await ctx.copy({
      dest: '/etc/modules-load.d/k8s.conf',
      content: `${modules.join('\n')}\n`,
      mode: '0644',
    });
    if (p.containerd_manage_kernel) {
      for (const name of modules) await ctx.modprobe({ name });
      for (const [name, value] of SYSCTLS)
        await ctx.sysctl({ name, value, sysctl_file: '/etc/sysctl.d/k8s.conf' });
      await ctx.ensure('swap', { state: 'off' });
      await maskSwapUnits(ctx);
    }
    if (p.containerd_apt_repo) {
      const repo = p.containerd_apt_repo;
      await ctx.file({ path: '/etc/apt/keyrings', state: 'directory', mode: '0755' });
      await ctx.getUrl({
        url: repo.key_url,
        dest: '/etc/apt/keyrings/containerd.asc',
        mode: '0644',
        checksum: repo.key_checksum ?? undefined,
      });
      await ctx.copy({
        dest: '/etc/apt/sources.list.d/containerd.list',
        content: `${repo.deb}\n`,
        mode: '0644',
      });
    }
    await ctx.package({
      name: p.containerd_packages,
      update_cache: Boolean(p.containerd_apt_repo),
      cache_valid_time: 3600,
    });
    await ctx.file({ path: '/etc/containerd', state: 'directory', mode: '0755' });
    await ctx.file({ path: p.containerd_registry_config_path, state: 'directory', mode: '0755' });
    const settings = {
      sandboxImage: p.containerd_sandbox_image ?? null,
      kubernetesVersion: p.kubernetes_version ?? null,
      registryConfigPath: p.containerd_registry_config_path,
    };
    const read = await ctx.query({ cmd: READ_INPUTS }, { name: 'config.toml and what it was made from' });
    const inputs = readInputs(String(known(read.result.stdout) ?? ''), settings);
    const reused = currentConfig(inputs);
    const made = reused === undefined ? await makeConfig(ctx, p) : { config: reused, exact: true };
    await ctx.copy(
      { dest: CONFIG, content: made.config, mode: '0644' },
      { name: 'config.toml', notify: 'restart containerd' },
    );
    await ctx.copy(
      {
        dest: INPUTS_FILE,
        // a check run before containerd is installed: known after apply, as the config is
        content: made.exact ? inputsRecord(inputs.inputs, made.config) : made.config,
        mode: '0644',
      },
      { name: 'what config.toml was made from' },
    );
    await ctx.copy({
      dest: '/etc/crictl.yaml',
      content:
        'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 10\n',
      mode: '0644',
    });
    // systemd where it runs; hosts without an init system get containerd as a plain daemon
    await ctx.service({
      name: 'containerd',
      state: 'started',
      enabled: true,
      command: '/usr/bin/containerd',
      pidfile: '/run/quorum-containerd.pid',
    });
  },
};

/**
 * containerd's defaults patched for Kubernetes, with the pause image kubeadm lists; not exact in
 * a check run before containerd or kubeadm is installed (their output is known after apply).
 */
async function makeConfig(
  ctx: RoleContext,
  p: ContainerdParams,
): Promise<{ config: string; exact: boolean }> {
  const defaults = await ctx.ensure(
    'query',
    { cmd: 'containerd config default' },
    { name: 'containerd config default' },
  );
  const sandboxImage = p.containerd_sandbox_image ?? (await kubeadmPauseImage(ctx, p.kubernetes_version));
  const config = patchContainerdConfig(String(defaults.result.stdout), {
    sandboxImage,
    registryConfigPath: p.containerd_registry_config_path,
  });
  return { config, exact: known(defaults.result.stdout) !== undefined && typeof sandboxImage === 'string' };
}

export default role;
