// What the containerd role reads from the host beside containerd itself: the pause image the
// installed kubeadm expects, and swap units that systemd would switch on again at boot.
import { known, type RoleContext } from 'quorum';

/** kube-proxy in IPVS mode (CLUSTER.md 1.1). */
export const IPVS_MODULES = ['ip_vs', 'ip_vs_rr', 'ip_vs_wrr', 'ip_vs_sh', 'nf_conntrack'];

/**
 * The sandbox (pause) image kubeadm lists for the cluster's version: the tag changes with the
 * Kubernetes minor (3.10.1 for 1.35, ...), and kubeadm warns when the CRI's differs. Read from
 * the installed kubeadm (kubernetes-packages runs first), so no table here goes stale.
 */
export async function kubeadmPauseImage(ctx: RoleContext, version?: string | null): Promise<string> {
  const pinned = version ? ` --kubernetes-version v${version.replace(/^v/, '')}` : '';
  const r = await ctx.query(
    {
      // a failure (not an empty answer), so a check run before kubeadm is installed reads it as
      // known after apply
      cmd: `kubeadm config images list${pinned} 2>/dev/null | grep '/pause:' || { echo 'kubeadm lists no pause image: install kubeadm first (kubernetes-packages) or set containerd_sandbox_image' >&2; exit 1; }`,
    },
    { name: 'pause image kubeadm expects' },
  );
  const out = r.result.stdout;
  if (typeof out !== 'string') return out as unknown as string; // known after apply (kubeadm not installed yet)
  return out.trim().split('\n')[0];
}

/** Swap that systemd would turn on again at boot (fstab-generated, zram): masked. */
export async function maskSwapUnits(ctx: RoleContext): Promise<void> {
  const r = await ctx.query(
    {
      cmd: '[ -d /run/systemd/system ] || exit 0; systemctl list-units --type=swap --all --plain --no-legend 2>/dev/null | awk \'$2 != "masked" {print $1}\'',
    },
    { name: 'swap units' },
  );
  const units = known(r.result.stdout)?.split('\n').filter(Boolean) ?? [];
  if (units.length)
    await ctx.command(
      { cmd: `systemctl mask --now ${units.join(' ')}` },
      { name: `mask ${units.join(' ')}` },
    );
}
