// node-preflight: every node read before anything changes on any node (the cluster roles need
// it, so one failed host stops the whole run before its first change). What kubeadm's own
// preflight would refuse later, half way through (cgroup v2 from 1.35, swap, ports in use), what
// kubespray checks (the node address is on the host), and what cluster.yml must never do: move
// a live cluster to another Kubernetes version (that is kubeadm upgrade's job, node by node).
import { known, type RoleDefinition } from 'quorum';
import { DPKG_DATABASE, kubeMinor, nodeAddress } from 'quorum/cluster';
import { HOST_FACTS, type HostFacts, INSTALLED_KUBEADM, parseHostFacts } from './facts.ts';

export interface NodePreflightParams {
  kubernetes_version: string;
  control_plane_group: string;
  containerd_manage_kernel: boolean;
  preflight_ignore: string[];
}

/** Ports a node's own components bind (CLUSTER.md 1.1); free on a node not yet in the cluster. */
const CONTROL_PLANE_PORTS = [6443, 2379, 2380, 10250, 10257, 10259];
const WORKER_PORTS = [10250];

export const CHECKS = ['version', 'cgroup-v2', 'node-ip', 'ports', 'swap', 'time-sync', 'product-uuid'];

const UPGRADE =
  "cluster.yml never moves a live cluster to another version: that is kubeadm upgrade (apply on the first control-plane node, node on the others, one minor at a time): playbooks/upgrade.yml, or by hand following kubeadm's upgrade guide";

export function versionProblem(installed: string, joined: boolean, wanted: string): string | undefined {
  if (!joined || !installed || installed === wanted) return undefined;
  const [from, to] = [kubeMinor(installed), kubeMinor(wanted)];
  if (from !== to)
    return `kubernetes_version ${wanted} is a ${to > from ? 'minor upgrade' : 'minor downgrade'} of this live node (kubeadm ${installed} installed): ${UPGRADE}`;
  return `kubernetes_version ${wanted} is a patch change of this live node (kubeadm ${installed} installed): ${UPGRADE}`;
}

export function hostProblems(
  f: HostFacts,
  p: NodePreflightParams,
  node: { ip: string; controlPlane: boolean },
): { errors: string[]; warnings: string[] } {
  const on = (check: string) => !p.preflight_ignore.includes(check);
  const errors: string[] = [];
  const warnings: string[] = [];
  const version = versionProblem(f.kubeadm, f.joined, p.kubernetes_version);
  if (version && on('version')) errors.push(version);
  if (f.cgroup !== 'cgroup2fs' && on('cgroup-v2'))
    errors.push(
      `/sys/fs/cgroup is ${f.cgroup || 'not mounted'}, not cgroup v2: kubelet 1.35+ refuses cgroup v1 (failCgroupV1)`,
    );
  const dev = [...f.addresses].find(([, ips]) => ips.includes(node.ip))?.[0];
  if (!dev && on('node-ip'))
    errors.push(
      `the node address ${node.ip} is on no interface of this host (set node_ip to the address of the cluster's NIC)`,
    );
  // ports bound by the node's own (half-made) control plane are the recovery's business
  if (!f.joined && !f.kubeadmState && on('ports')) {
    const busy = (node.controlPlane ? CONTROL_PLANE_PORTS : WORKER_PORTS).filter((port) =>
      f.listening.has(port),
    );
    if (busy.length)
      errors.push(`port(s) ${busy.join(', ')} already in use, on a node without any Kubernetes state yet`);
  }
  if (f.swapDevices > 0 && !p.containerd_manage_kernel && on('swap'))
    errors.push(
      `swap is on (${f.swapDevices} device(s)) and containerd_manage_kernel is false: the kubelet refuses to start (failSwapOn)`,
    );
  if (f.ntp === 'no' && on('time-sync'))
    warnings.push(
      'the clock is not synchronised (timedatectl): TLS and etcd need the nodes to agree on time',
    );
  return { errors, warnings };
}

const role: RoleDefinition<NodePreflightParams> = {
  name: 'node-preflight',
  publishes: ['identity'],
  description: 'reads every node before anything changes: version, cgroup v2, node IP, ports, swap, clock',
  params: {
    type: 'object',
    properties: {
      kubernetes_version: {
        type: 'string',
        pattern: '^1\\.\\d+\\.\\d+$',
        description: 'the version cluster.yml installs; a live node at another one is refused',
      },
      control_plane_group: { type: 'string', default: 'control_plane', description: 'control-plane nodes' },
      containerd_manage_kernel: {
        type: 'boolean',
        default: true,
        description: 'containerd switches swap off (else swap on is an error here)',
      },
      preflight_ignore: {
        type: 'array',
        items: { type: 'string', enum: CHECKS },
        default: [] as string[],
        description: "checks to skip, as kubeadm's ignorePreflightErrors (the lab shares one kernel)",
      },
    },
    required: ['kubernetes_version'],
    additionalProperties: false,
  },
  async run(ctx, p) {
    const kubeadm = await ctx.query(
      { cmd: INSTALLED_KUBEADM, kept_by: DPKG_DATABASE },
      { name: 'installed kubeadm' },
    );
    const r = await ctx.query({ cmd: HOST_FACTS }, { name: 'host facts' });
    const out = known(r.result.stdout);
    const version = known(kubeadm.result.stdout);
    if (out === undefined || version === undefined) return;
    const facts = parseHostFacts(`${version}\n${out}`);
    const ip = nodeAddress(ctx.host, ctx.vars);
    const controlPlane = ctx.hosts(p.control_plane_group).includes(ctx.host);
    const { errors, warnings } = hostProblems(facts, p, { ip, controlPlane });
    for (const w of warnings) ctx.warn(`${ctx.host}: ${w}`);
    const dev = [...facts.addresses].find(([, ips]) => ips.includes(ip))?.[0];
    // compared across nodes by kubeadm-init, before the cluster is made (cloned VMs)
    ctx.publish('identity', {
      productUuid: p.preflight_ignore.includes('product-uuid') ? '' : facts.productUuid,
      mac: dev ? (facts.macs.get(dev) ?? '') : '',
    });
    if (errors.length) ctx.fail(errors.join('; '));
  },
};

export default role;
