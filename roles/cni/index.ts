// cni: flannel, pinned (CLUSTER.md 1.10). Chosen because it is one manifest with one knob that
// must match the cluster (its pod network), a VXLAN overlay that needs nothing from the
// network (no BGP beside MetalLB's Layer 2), and is what kubeadm's own docs walk through.
// The manifest is downloaded on the init node with its sha256 checked, its Network set to the
// cluster's pod subnet, and applied server-side with the k8s module (kubectl diff as the probe).
import type { RoleDefinition } from 'quorum';
import { FLANNEL, withPodSubnet } from './flannel.ts';

export interface CniParams {
  pod_subnet: string;
  cni_pod_cidr?: string;
  cni_manifest_url: string;
  cni_manifest_sha256: string;
  cni_kubeconfig: string;
  cni_iface?: string | null;
}

const DIR = '/etc/kubernetes/addons';

const role: RoleDefinition<CniParams> = {
  name: 'cni',
  description: `flannel ${FLANNEL.version} (pinned, sha256 checked) with the cluster's pod subnet`,
  needs: ['kubeadm-init'],
  publishes: [],
  params: {
    type: 'object',
    properties: {
      pod_subnet: {
        type: 'string',
        default: '10.244.0.0/16',
        description: "the cluster's pod subnet (kubeadm)",
      },
      cni_pod_cidr: {
        type: 'string',
        nullable: true,
        description: 'only to state it: must equal pod_subnet (preflight refuses a mismatch)',
      },
      cni_manifest_url: {
        type: 'string',
        pattern: '^(https?|file)://',
        default: FLANNEL.url,
        description: `flannel's manifest (${FLANNEL.version}); a mirror of exactly those bytes for air-gapped sites`,
      },
      cni_manifest_sha256: {
        type: 'string',
        pattern: '^[0-9a-f]{64}$',
        default: FLANNEL.sha256,
        description: 'sha256 of the manifest',
      },
      cni_iface: {
        type: 'string',
        nullable: true,
        pattern: '^[A-Za-z0-9_.:-]{1,15}$',
        description: "the NIC flannel's overlay uses (--iface), on hosts with several",
      },
      cni_kubeconfig: {
        type: 'string',
        default: '/etc/kubernetes/admin.conf',
        description: 'kubeconfig kubectl uses',
      },
    },
    required: [],
    additionalProperties: false,
  },
  check(entries) {
    return entries.flatMap((e) =>
      e.params.cni_pod_cidr && e.params.cni_pod_cidr !== e.params.pod_subnet
        ? [
            `${e.host}: cni_pod_cidr ${e.params.cni_pod_cidr} differs from pod_subnet ${e.params.pod_subnet}: flannel must hand out the cluster's pod subnet`,
          ]
        : [],
    );
  },
  async run(ctx, p) {
    const upstream = `${DIR}/kube-flannel.upstream.yml`;
    const manifest = `${DIR}/kube-flannel.yml`;
    await ctx.file({ path: DIR, state: 'directory', mode: '0755' });
    await ctx.getUrl({
      url: p.cni_manifest_url,
      dest: upstream,
      checksum: `sha256:${p.cni_manifest_sha256}`,
      mode: '0644',
    });
    const read = await ctx.ensure('slurp', { src: upstream }, { name: 'read the manifest' });
    const text = read.result.text;
    let content: unknown = text;
    if (typeof text === 'string') {
      try {
        content = withPodSubnet(text, p.pod_subnet, p.cni_iface ?? undefined);
      } catch (e) {
        ctx.fail(`${p.cni_manifest_url}: ${(e as Error).message}`);
      }
    }
    await ctx.copy(
      { dest: manifest, content: content as string, mode: '0644' },
      { name: 'manifest with the pod subnet' },
    );
    // the k8s module: server-side diff as the probe, the namespace applied first on a fresh cluster
    await ctx.k8s({ path: manifest, kubeconfig: p.cni_kubeconfig }, { name: `flannel ${FLANNEL.version}` });
  },
};

export default role;
