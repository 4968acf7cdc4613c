// What node-preflight reads on a host, in one command of file reads (no package manager cache,
// no interpreter): whether the node is joined, cgroup, swap, time sync, identity, addresses,
// links and listening ports. Shell built-ins where they serve: two programs (ip, awk;
// timedatectl under systemd; stat -f where cgroup v2 is missing), where each line once started
// its own (a converged run on many nodes is mostly program starts).

/** The installed kubeadm, read apart: on a dpkg host it is kept while dpkg's database lists the same. */
export const INSTALLED_KUBEADM = `printf kubeadm=; { dpkg-query -W -f='\${Version}' kubeadm 2>/dev/null || rpm -q --qf '%{VERSION}' kubeadm 2>/dev/null; }; echo`;

export const HOST_FACTS = [
  'if [ -e /etc/kubernetes/kubelet.conf ]; then echo joined=yes; else echo joined=no; fi',
  // any state kubeadm leaves (a join or init that stopped half way included): its own ports
  'for f in /etc/kubernetes/kubelet.conf /etc/kubernetes/admin.conf /etc/kubernetes/pki/ca.crt /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/manifests/kube-apiserver.yaml; do [ -e "$f" ] && { echo "state=$f"; break; }; done',
  // a cgroup2 mount at the top has cgroup.controllers; otherwise the message names what is there
  'if [ -e /sys/fs/cgroup/cgroup.controllers ]; then echo cgroup=cgroup2fs; else printf cgroup=; stat -fc %T /sys/fs/cgroup 2>/dev/null || echo; fi',
  'u=; read -r u 2>/dev/null < /sys/class/dmi/id/product_uuid; echo "uuid=$u"',
  // the lines after /proc/swaps' header
  'n=-1; while read -r l; do n=$((n + 1)); done 2>/dev/null < /proc/swaps; [ $n -lt 0 ] && n=0; echo "swap=$n"',
  // timedated answers under systemd only
  'printf ntp=; [ -d /run/systemd/system ] && timedatectl show -p NTPSynchronized --value 2>/dev/null; echo',
  'echo --addrs--; ip -o -4 addr show',
  'echo --links--; for d in /sys/class/net/*; do a=; read -r a 2>/dev/null < "$d/address"; echo "${d##*/} $a"; done',
  'echo --listen--; awk \'$4 == "0A" {print $2}\' /proc/net/tcp /proc/net/tcp6 2>/dev/null',
].join('\n');

export interface HostFacts {
  /** The installed kubeadm's version without its package revision, '' when not installed. */
  kubeadm: string;
  joined: boolean;
  /** Some state of kubeadm's is on the node (a node, or one that a recovery will reset). */
  kubeadmState: boolean;
  cgroup: string;
  productUuid: string;
  swapDevices: number;
  /** 'yes' / 'no' from timedatectl; '' where it cannot tell (no systemd). */
  ntp: string;
  /** interface -> IPv4 addresses */
  addresses: Map<string, string[]>;
  macs: Map<string, string>;
  listening: Set<number>;
}

export function parseHostFacts(text: string): HostFacts {
  const [head, addrs = '', links = '', listen = ''] = text.split(/--addrs--|--links--|--listen--/);
  const kv = new Map(
    head
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]),
  );
  const addresses = new Map<string, string[]>();
  // `ip -o -4 addr show`: "2: eth0    inet 10.0.0.5/24 brd ..."
  for (const line of addrs.split('\n').filter(Boolean)) {
    const [, dev, , cidr] = line.trim().split(/\s+/);
    if (dev && cidr) addresses.set(dev, [...(addresses.get(dev) ?? []), cidr.split('/')[0]]);
  }
  const macs = new Map(
    links
      .split('\n')
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/) as [string, string]),
  );
  const listening = new Set(
    listen
      .split('\n')
      .map((l) => l.trim().split(':').pop() ?? '')
      .filter((h) => /^[0-9A-F]{4}$/i.test(h))
      .map((h) => Number.parseInt(h, 16)),
  );
  return {
    kubeadm: (kv.get('kubeadm') ?? '').replace(/-[^-]*$/, ''),
    joined: kv.get('joined') === 'yes',
    kubeadmState: (kv.get('state') ?? '') !== '',
    cgroup: kv.get('cgroup') ?? '',
    productUuid: kv.get('uuid') ?? '',
    swapDevices: Number(kv.get('swap') ?? 0),
    ntp: kv.get('ntp') ?? '',
    addresses,
    macs,
    listening,
  };
}

export interface NodeIdentityFacts {
  productUuid: string;
  mac: string;
}

/** Nodes sharing a product_uuid or the MAC of their cluster NIC (cloned VMs), as errors. */
export function duplicateIdentities(nodes: Array<[string, NodeIdentityFacts]>): string[] {
  const errors: string[] = [];
  for (const field of ['productUuid', 'mac'] as const) {
    const seen = new Map<string, string[]>();
    for (const [host, id] of nodes)
      if (id[field]) seen.set(id[field], [...(seen.get(id[field]) ?? []), host]);
    for (const [value, hosts] of seen)
      if (hosts.length > 1)
        errors.push(
          `${hosts.join(', ')} share the ${field === 'mac' ? 'MAC address' : 'product_uuid'} ${value}: kubeadm requires them unique per node (cloned machines?)`,
        );
  }
  return errors;
}
