// kubernetes-packages: kubeadm, kubelet and kubectl from the upstream package repository
// (CLUSTER.md 1.3): one repository per minor, its key in a keyring named by signed-by, the
// packages installed at exactly kubernetes_version and held there, kubelet enabled.

import { known, type RoleContext, type RoleDefinition } from 'quorum';
import { DPKG_DATABASE, keepAnswer, keptAnswer, kubeMinor } from 'quorum/cluster';

export interface KubernetesPackagesParams {
  kubernetes_version: string;
  kubernetes_package_revision: string;
  kubernetes_repo_base: string;
  kubernetes_packages: string[];
  kubernetes_tool_packages: string[];
}

const KEYRING = '/etc/apt/keyrings/kubernetes-apt-keyring.gpg';
const HELD_BY_DNF = 'kubelet kubeadm kubectl cri-tools kubernetes-cni';
/**
 * A key is fetched again this long before it expires (pkgs.k8s.io's keys carry an expiry and are
 * renewed upstream); no earlier, or a key upstream has not yet renewed would be fetched on every run.
 */
const KEY_MARGIN_MS = 24 * 3600_000;

/**
 * The keyring's expiry (or "never"), read with a throwaway gpg home: gpg creates ~/.gnupg on its
 * first use, and a probe (a check run) must leave the host as it found it.
 */
const SHOW_KEY_EXPIRY = `{ h=$(mktemp -d); gpg --homedir "$h" --batch --show-keys --with-colons ${KEYRING} 2>/dev/null | awk -F: '$1 == "pub" {print ($7 == "" ? "never" : $7)}'; rm -rf "$h"; }`;

interface Installed {
  version: string;
  held: boolean;
}

/**
 * One read of what is installed (and held), and of the repository key's file. gpg's word on its
 * expiry (4 programs on the host) is kept on the controller while the file lists the same
 * (src/execute/kept-answers.ts), and so is what dpkg-query says while dpkg's database and the
 * keyring list the same (kept-probes.ts): a converged run starts one `stat`.
 */
async function installed(ctx: RoleContext, names: string[], query: string, keptBy?: string[]) {
  const r = await ctx.query(
    { cmd: `${query}; true`, ...(keptBy ? { kept_by: keptBy } : {}) },
    { name: 'installed versions' },
  );
  const answer = known(r.result.stdout);
  if (answer === undefined) return undefined;
  const [list, keyFile = ''] = answer.split('--key--');
  const out = new Map<string, Installed>();
  for (const line of list.split('\n')) {
    const [name, version, want] = line.trim().split(/\s+/);
    if (names.includes(name) && version) out.set(name, { version, held: want === 'hold' });
  }
  return { packages: out, keyExpiry: await keyExpiry(ctx, keyFile.trim()) };
}

async function keyExpiry(ctx: RoleContext, listing: string): Promise<string> {
  if (!listing) return '';
  const kept = keptAnswer('apt-key-expiry', ctx.host, listing);
  if (kept !== undefined) return kept;
  const r = await ctx.query({ cmd: `${SHOW_KEY_EXPIRY}; true` }, { name: 'repository key expiry' });
  const expiry = String(known(r.result.stdout) ?? '').trim();
  if (expiry) keepAnswer('apt-key-expiry', ctx.host, listing, expiry);
  return expiry;
}

const atVersion = (have: Installed | undefined, p: KubernetesPackagesParams) =>
  have !== undefined &&
  (p.kubernetes_package_revision === '*'
    ? have.version.startsWith(`${p.kubernetes_version}-`)
    : have.version === `${p.kubernetes_version}-${p.kubernetes_package_revision}`);

/** Installs `names` (at kubernetes_version) and the missing tools from the repository made current. */
type Installer = (names: string[], tools: string[]) => Promise<void>;

async function apt(ctx: RoleContext, p: KubernetesPackagesParams, repo: string): Promise<Installer> {
  // the distribution's index no older than an hour (as containerd's install asks): kubelet's
  // dependencies come from it
  await ctx.package({
    name: ['apt-transport-https', 'ca-certificates', 'curl', 'gpg'],
    update_cache: true,
    cache_valid_time: 3600,
  });
  await ctx.file({ path: '/etc/apt/keyrings', state: 'directory', mode: '0755' });
  const list = await ctx.copy(
    {
      dest: '/etc/apt/sources.list.d/kubernetes.list',
      content: `deb [signed-by=${KEYRING}] ${repo}/deb/ /\n`,
      mode: '0644',
    },
    { name: 'repository for the minor' },
  );
  const names = [...p.kubernetes_packages, ...p.kubernetes_tool_packages];
  const have = await installed(
    ctx,
    names,
    `dpkg-query -W -f='\${Package} \${Version} \${db:Status-Want}\\n' ${names.join(' ')} 2>/dev/null; echo --key--; [ -s ${KEYRING} ] && stat -L -c '%n %s %.9Y %.9Z %i' ${KEYRING}`,
    // what it prints is dpkg's database's and the keyring's alone: kept while they list the same
    [...DPKG_DATABASE, KEYRING],
  );
  // the key of the minor's repository: again for a new minor, and before it expires
  const expiry = have?.keyExpiry ?? '';
  const keyStale =
    have === undefined ||
    list.changed ||
    expiry === '' ||
    (expiry !== 'never' && Number(expiry) * 1000 < Date.now() + KEY_MARGIN_MS);
  if (keyStale)
    await ctx.shell(
      { cmd: `curl -fsSL ${repo}/deb/Release.key | gpg --dearmor --yes -o ${KEYRING}` },
      { name: 'repository key' },
    );
  // what is installed as read before any install: each call installs only its own packages
  const pkgs = have?.packages;
  return async (packages, toolNames) => {
    const missing = packages.filter((n) => !atVersion(pkgs?.get(n), p));
    const tools = toolNames.filter((n) => !pkgs?.has(n));
    if (missing.length || tools.length) {
      // a new patch release may be newer than the last index read: read that repository's index
      // again before installing (only it: the distribution's is fresh from above)
      await ctx.command(
        {
          cmd: 'apt-get update -q -o Dir::Etc::sourcelist=sources.list.d/kubernetes.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0',
        },
        { name: 'apt-get update of the Kubernetes repository' },
      );
      const pins = [
        ...missing.map((n) => `${n}=${p.kubernetes_version}-${p.kubernetes_package_revision}`),
        ...tools,
      ];
      await ctx.shell(
        {
          cmd: `DEBIAN_FRONTEND=noninteractive apt-get install -y -q --allow-change-held-packages --allow-downgrades ${pins.map((x) => `'${x}'`).join(' ')}`,
        },
        { name: `install ${pins.join(' ')}` },
      );
    }
    const unheld = [...packages, ...toolNames].filter((n) => !pkgs?.get(n)?.held);
    if (unheld.length)
      await ctx.command({ cmd: `apt-mark hold ${unheld.join(' ')}` }, { name: 'hold at this version' });
  };
}

async function dnf(ctx: RoleContext, p: KubernetesPackagesParams, repo: string): Promise<Installer> {
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
  const names = [...p.kubernetes_packages, ...p.kubernetes_tool_packages];
  const have = (
    await installed(ctx, names, `rpm -q --qf '%{NAME} %{VERSION}\\n' ${names.join(' ')} 2>/dev/null`)
  )?.packages;
  return async (packages, toolNames) => {
    const missing = packages.filter((n) => have?.get(n)?.version !== p.kubernetes_version);
    const tools = toolNames.filter((n) => !have?.has(n));
    if (missing.length || tools.length) {
      const pins = [...missing.map((n) => `${n}-${p.kubernetes_version}`), ...tools].join(' ');
      await ctx.command(
        { cmd: `dnf install -y --disableexcludes=kubernetes ${pins}` },
        { name: `install ${pins}` },
      );
    }
  };
}

/**
 * The repository of kubernetes_version's minor made current (list, key), once; the installer it
 * returns puts packages at kubernetes_version and holds them (the upgrade installs kubeadm first,
 * kubelet and kubectl after the drain, from one repository switch).
 */
export async function packageRepository(ctx: RoleContext, p: KubernetesPackagesParams): Promise<Installer> {
  const repo = `${p.kubernetes_repo_base.replace(/\/$/, '')}/v1.${kubeMinor(p.kubernetes_version)}`;
  const family = ctx.facts.pkg_mgr;
  if (family === 'apt') return apt(ctx, p, repo);
  if (family === 'dnf' || family === 'yum') return dnf(ctx, p, repo);
  return ctx.fail(`no way to install Kubernetes packages with package manager "${family}"`);
}

/** Where the packages come from: shared with the upgrade, which installs from the same place. */
export const repositoryParams = {
  kubernetes_package_revision: {
    type: 'string',
    pattern: '^(\\*|[0-9][0-9.]*)$',
    default: '*',
    description:
      "Debian package revision (1.35.3-1.1); '*' takes the repository's revision of kubernetes_version",
  },
  kubernetes_repo_base: {
    type: 'string',
    pattern: '^https?://',
    default: 'https://pkgs.k8s.io/core:/stable:',
    description: 'repository root; a mirror of pkgs.k8s.io keeps its layout (/v1.35/deb/)',
  },
} as const;

const role: RoleDefinition<KubernetesPackagesParams> = {
  name: 'kubernetes-packages',
  description: 'kubeadm, kubelet, kubectl from the upstream repository of one minor, held at one version',
  // nothing changes on any node until every node passed its preflight
  needs: ['node-preflight'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      kubernetes_version: {
        type: 'string',
        pattern: '^1\\.\\d+\\.\\d+$',
        description: 'e.g. 1.35.3: selects the repository (1.35) and the exact packages',
      },
      ...repositoryParams,
      kubernetes_packages: {
        type: 'array',
        items: { type: 'string' },
        minItems: 1,
        default: ['kubelet', 'kubeadm', 'kubectl'],
        description: 'packages installed at kubernetes_version and held',
      },
      kubernetes_tool_packages: {
        type: 'array',
        items: { type: 'string' },
        default: ['cri-tools'],
        description:
          'installed from the same repository at its own version and held: crictl, which the etcd gates use (kubeadm packages built since 2026-04 no longer pull it in)',
      },
    },
    required: ['kubernetes_version'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const install = await packageRepository(ctx, p);
    await install(p.kubernetes_packages, p.kubernetes_tool_packages);
    // kubelet restarts in a loop until kubeadm init or join configures it: expected (CLUSTER.md 1.3)
    await ctx.service({ name: 'kubelet', enabled: true });
  },
};

export default role;
