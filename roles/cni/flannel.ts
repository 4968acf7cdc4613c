// flannel's manifest with the cluster's pod subnet: the Network of net-conf.json in the
// kube-flannel-cfg ConfigMap must equal kubeadm's networking.podSubnet (CLUSTER.md 1.10).
import { parseAllDocuments } from 'yaml';

/** The pinned release: its manifest at the tag, byte for byte (sha256 of those bytes). */
export const FLANNEL = {
  version: 'v0.28.9',
  url: 'https://raw.githubusercontent.com/flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml',
  sha256: 'e875824be2f552b45711dbda91af81b17eb961d00025d914d9fef18fad8f09c0',
} as const;

/**
 * The manifest with Network set to `podSubnet` and, with `iface`, flanneld told which NIC
 * carries the overlay (`--iface`: on a multi-NIC host flannel otherwise takes the default
 * route's); every other document as it was.
 */
export function withPodSubnet(manifest: string, podSubnet: string, iface?: string): string {
  const docs = parseAllDocuments(manifest);
  let found = false;
  for (const doc of docs) {
    const obj = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      data?: Record<string, string>;
    } | null;
    if (obj?.kind !== 'ConfigMap' || obj.metadata?.name !== 'kube-flannel-cfg') continue;
    const conf = obj.data?.['net-conf.json'];
    if (typeof conf !== 'string') throw new Error('the kube-flannel-cfg ConfigMap has no net-conf.json');
    const net = JSON.parse(conf) as Record<string, unknown>;
    net.Network = podSubnet;
    doc.setIn(['data', 'net-conf.json'], `${JSON.stringify(net, null, 2)}\n`);
    found = true;
  }
  if (!found) throw new Error("not flannel's manifest: it has no ConfigMap kube-flannel-cfg");
  if (iface) setIface(docs, iface);
  return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
}

/** `--iface=NIC` among the kube-flannel container's args (its command, where it has no args). */
function setIface(docs: ReturnType<typeof parseAllDocuments>, iface: string) {
  for (const doc of docs) {
    const obj = doc.toJS() as {
      kind?: string;
      spec?: { template?: { spec?: { containers?: unknown[] } } };
    } | null;
    if (obj?.kind !== 'DaemonSet') continue;
    const containers = (obj.spec?.template?.spec?.containers ?? []) as Array<{
      name?: string;
      args?: string[];
      command?: string[];
    }>;
    const i = containers.findIndex((c) => c.name === 'kube-flannel');
    if (i < 0) continue;
    const field = containers[i].args ? 'args' : 'command';
    const list = (containers[i][field] ?? []).filter((a) => !a.startsWith('--iface='));
    doc.setIn(['spec', 'template', 'spec', 'containers', i, field], [...list, `--iface=${iface}`]);
    return;
  }
  throw new Error("not flannel's manifest: no DaemonSet with a kube-flannel container");
}
