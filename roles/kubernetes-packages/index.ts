// kubernetes-packages: kubeadm, kubelet and kubectl from the upstream package repository
// (CLUSTER.md 1.3): one repository per minor, its key in a keyring named by signed-by, the
// packages installed at exactly kubernetes_version and held there, kubelet enabled.

import type { RoleContext, RoleDefinition } from 'quorum';
import { kubeMinor } from 'quorum/cluster';

export interface KubernetesPackagesParams {
  kubernetes_version: string;
  kubernetes_package_revision: string;
  kubernetes_repo_base: string;
  kubernetes_packages: string[];
}

const KEYRING = '/etc/apt/keyrings/kubernetes-apt-keyring.gpg';
const HELD_BY_DNF = 'kubelet kubeadm kubectl cri-tools kubernetes-cni';

async function installedVersions(ctx: RoleContext, names: string[], query: string) {
  const r = await ctx.query({ cmd: `${query} 2>/dev/null; true` }, { name: 'installed versions' });
  const out = new Map<string, string>();
  if (typeof r.result.stdout !== 'string') return undefined; // known after apply
  for (const line of r.result.stdout.split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (names.includes(name) && version) out.set(name, version);
  }
  return out;
}

async function apt(ctx: RoleContext, p: KubernetesPackagesParams, repo: string) {
  await ctx.package({ name: ['apt-transport-https', 'ca-certificates', 'curl', 'gpg'] });
  await ctx.file({ path: '/etc/apt/keyrings', state: 'directory', mode: '0755' });
  await ctx.shell(
    { cmd: `curl -fsSL ${repo}/deb/Release.key | gpg --dearmor -o ${KEYRING}`, creates: KEYRING },
    { name: 'repository key' },
  );
  const list = await ctx.copy(
    {
      dest: '/etc/apt/sources.list.d/kubernetes.list',
      content: `deb [signed-by=${KEYRING}] ${repo}/deb/ /\n`,
      mode: '0644',
    },
    { name: 'repository for the minor' },
  );
  const want = `${p.kubernetes_version}-${p.kubernetes_package_revision}`;
  const have = await installedVersions(
    ctx,
    p.kubernetes_packages,
    `dpkg-query -W -f='\${Package} \${Version}\\n' ${p.kubernetes_packages.join(' ')}`,
  );
  const missing = have ? p.kubernetes_packages.filter((n) => have.get(n) !== want) : p.kubernetes_packages;
  if (missing.length) {
    if (list.changed) await ctx.command({ cmd: 'apt-get update -q' }, { name: 'apt-get update' });
    const pins = missing.map((n) => `${n}=${want}`).join(' ');
    await ctx.shell(
      {
        cmd: `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-change-held-packages --allow-downgrades ${pins}`,
      },
      { name: `install ${pins}` },
    );
  }
  const held = await ctx.query({ cmd: 'apt-mark showhold' }, { name: 'held packages' });
  const heldNow = typeof held.result.stdout === 'string' ? held.result.stdout.split('\n') : [];
  const unheld = p.kubernetes_packages.filter((n) => !heldNow.includes(n));
  if (unheld.length)
    await ctx.command({ cmd: `apt-mark hold ${unheld.join(' ')}` }, { name: 'hold at this version' });
}

async function dnf(ctx: RoleContext, p: KubernetesPackagesParams, repo: string) {
  await ctx.copy(
    {
      dest: '/etc/yum.repos.d/kubernetes.repo',
      content: [
        '[kubernetes]',
        'name=Kubernetes',
        `baseurl=${repo}/rpm/`,
        'enabled=1',
        'gpgcheck=1',
        `gpgkey=${repo}/rpm/repodata/repomd.xml.key`,
        // held: only this role installs them, with --disableexcludes
        `exclude=${HELD_BY_DNF}`,
        '',
      ].join('\n'),
      mode: '0644',
    },
    { name: 'repository for the minor' },
  );
  const have = await installedVersions(
    ctx,
    p.kubernetes_packages,
    `rpm -q --qf '%{NAME} %{VERSION}\\n' ${p.kubernetes_packages.join(' ')}`,
  );
  const missing = have
    ? p.kubernetes_packages.filter((n) => have.get(n) !== p.kubernetes_version)
    : p.kubernetes_packages;
  if (missing.length) {
    const pins = missing.map((n) => `${n}-${p.kubernetes_version}`).join(' ');
    await ctx.command(
      { cmd: `dnf install -y --disableexcludes=kubernetes ${pins}` },
      { name: `install ${pins}` },
    );
  }
}

const role: RoleDefinition<KubernetesPackagesParams> = {
  name: 'kubernetes-packages',
  description: 'kubeadm, kubelet, kubectl from the upstream repository of one minor, held at one version',
  params: {
    type: 'object',
    properties: {
      kubernetes_version: {
        type: 'string',
        pattern: '^1\\.\\d+\\.\\d+$',
        description: 'e.g. 1.35.3: selects the repository (1.35) and the exact packages',
      },
      kubernetes_package_revision: {
        type: 'string',
        pattern: '^[0-9][0-9.]*$',
        default: '1.1',
        description: 'Debian package revision (1.35.3-1.1)',
      },
      kubernetes_repo_base: {
        type: 'string',
        pattern: '^https?://',
        default: 'https://pkgs.k8s.io/core:/stable:',
        description: 'repository root; a mirror of pkgs.k8s.io keeps its layout (/v1.35/deb/)',
      },
      kubernetes_packages: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        default: ['kubelet', 'kubeadm', 'kubectl'],
        description: 'packages installed and held',
      },
    },
    required: [
      'kubernetes_version',
      'kubernetes_package_revision',
      'kubernetes_repo_base',
      'kubernetes_packages',
    ],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const repo = `${p.kubernetes_repo_base.replace(/\/$/, '')}/v1.${kubeMinor(p.kubernetes_version)}`;
    const family = ctx.facts.pkg_mgr;
    if (family === 'apt') await apt(ctx, p, repo);
    else if (family === 'dnf' || family === 'yum') await dnf(ctx, p, repo);
    else ctx.fail(`no way to install Kubernetes packages with package manager "${family}"`);
    // kubelet restarts in a loop until kubeadm init or join configures it: expected (CLUSTER.md 1.3)
    await ctx.service({ name: 'kubelet', enabled: true });
  },
};

export default role;
