// What an upgrade reads on each node and what it refuses before any change: one minor at a
// time, never down, never a kubelet newer than the control plane it would talk to
// (kubeadm's phases/upgrade/policy.go; the Kubernetes version skew policy).

/** A node's versions as its packages and its control-plane manifests say ('' where absent). */
export interface NodeVersions {
  kubeadm: string;
  kubelet: string;
  kubectl: string;
  /** The kube-apiserver image tag of a control-plane node's static pod. */
  controlPlane: string;
  /** Cordoned by an upgrade that has not uncordoned it yet (its marker file is there). */
  drained: boolean;
}

const MARKER = '/var/lib/quorum/upgrade-drained';
export const UPGRADE_MARKER = MARKER;

/** One read: the packages' versions, the API server's image tag, the drain marker. */
export const NODE_VERSIONS = [
  "dpkg-query -W -f='${Package} ${Version}\\n' kubeadm kubelet kubectl 2>/dev/null",
  "sed -n 's#.*registry.k8s.io/kube-apiserver:v\\([0-9.]*\\).*#kube-apiserver \\1#p' /etc/kubernetes/manifests/kube-apiserver.yaml 2>/dev/null",
  `[ -e ${MARKER} ] && echo drained`,
  'true',
].join('; ');

export function parseNodeVersions(stdout: string): NodeVersions {
  const v: NodeVersions = { kubeadm: '', kubelet: '', kubectl: '', controlPlane: '', drained: false };
  for (const line of stdout.split('\n')) {
    const [name, version = ''] = line.trim().split(/\s+/);
    // a package's 1.36.1-1.1 is Kubernetes 1.36.1
    const plain = version.replace(/-.*$/, '');
    if (name === 'kubeadm' || name === 'kubelet' || name === 'kubectl') v[name] = plain;
    else if (name === 'kube-apiserver') v.controlPlane = plain;
    else if (name === 'drained') v.drained = true;
  }
  return v;
}

export const semver = (v: string): [number, number, number] => {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map(Number);
  return [a, b, c];
};
export const compareVersions = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** Finished on this node: packages at the target, its control plane too, not left cordoned. */
export const nodeUpgraded = (v: NodeVersions, target: string, controlPlane: boolean) =>
  v.kubeadm === target &&
  v.kubelet === target &&
  v.kubectl === target &&
  !v.drained &&
  (!controlPlane || v.controlPlane === target);

/**
 * Why the cluster cannot go to `target`, before any change: the control plane's version is the
 * oldest API server of the control-plane nodes (one may already be at the target, from a run
 * that stopped half way).
 */
export function upgradeRefusals(
  target: string,
  nodes: Array<{ name: string; controlPlane: boolean; versions: NodeVersions }>,
): string[] {
  const planes = nodes.filter((n) => n.controlPlane && n.versions.controlPlane);
  if (planes.length === 0)
    return ['no control-plane node runs an API server: nothing to upgrade (cluster.yml builds a cluster)'];
  const oldest = planes.map((n) => n.versions.controlPlane).sort(compareVersions)[0];
  const newest = planes
    .map((n) => n.versions.controlPlane)
    .sort(compareVersions)
    .at(-1)!;
  const [t, o] = [semver(target), semver(oldest)];
  const errors: string[] = [];
  if (t[1] > o[1] + 1)
    errors.push(
      `kubernetes_version ${target} skips a minor: the control plane is at ${oldest}, and kubeadm upgrades one minor at a time (to 1.${o[1] + 1}.x first)`,
    );
  if (compareVersions(target, newest) < 0)
    errors.push(
      `kubernetes_version ${target} is older than the control plane (${newest} on ${planes.find((n) => n.versions.controlPlane === newest)!.name}): downgrades are not supported`,
    );
  const newer = nodes.filter((n) => n.versions.kubelet && compareVersions(n.versions.kubelet, target) > 0);
  if (newer.length)
    errors.push(
      `kubelets newer than ${target} (the control plane they would talk to): ${newer.map((n) => `${n.name} ${n.versions.kubelet}`).join(', ')}`,
    );
  return errors;
}
