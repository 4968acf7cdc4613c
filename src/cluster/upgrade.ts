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
  /**
   * Deprecated APIs requested from this node's API server since it started (its
   * apiserver_requested_deprecated_apis gauge); undefined where it has none or /metrics did not
   * answer (see metricsUnread).
   */
  requestedDeprecated?: DeprecatedApi[];
  metricsUnread?: boolean;
}

export interface DeprecatedApi {
  group: string;
  version: string;
  resource: string;
  /** The release that stops serving it ('' where none is planned). */
  removedRelease: string;
}

const MARKER = '/var/lib/quorum/upgrade-drained';
const DEPRECATED_METRIC = 'apiserver_requested_deprecated_apis';
export const UPGRADE_MARKER = MARKER;

/** One read: the packages' versions, the API server's image tag, the drain marker. */
export const NODE_VERSIONS = [
  "dpkg-query -W -f='${Package} ${Version}\\n' kubeadm kubelet kubectl 2>/dev/null",
  "sed -n 's#.*registry.k8s.io/kube-apiserver:v\\([0-9.]*\\).*#kube-apiserver \\1#p' /etc/kubernetes/manifests/kube-apiserver.yaml 2>/dev/null",
  `[ -e ${MARKER} ] && echo drained`,
  // the API server's own count of deprecated APIs asked for, through its advertise address (the
  // name its certificate carries; kubeadm's has no 127.0.0.1)
  `m=/etc/kubernetes/manifests/kube-apiserver.yaml; if [ -e $m ] && [ -e /etc/kubernetes/admin.conf ]; then a=$(sed -n 's/.*--advertise-address=\\([0-9a-fA-F.:]*\\).*/\\1/p' $m | head -n1); p=$(sed -n 's/.*--secure-port=\\([0-9]*\\).*/\\1/p' $m | head -n1); case $a in *:*) a="[$a]";; esac; if out=$(kubectl --kubeconfig /etc/kubernetes/admin.conf --server "https://$a:\${p:-6443}" get --raw /metrics 2>/dev/null); then printf '%s\\n' "$out" | grep '^${DEPRECATED_METRIC}{'; else echo metrics-unread; fi; fi`,
  'true',
].join('; ');

export function parseNodeVersions(stdout: string): NodeVersions {
  const v: NodeVersions = { kubeadm: '', kubelet: '', kubectl: '', controlPlane: '', drained: false };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${DEPRECATED_METRIC}{`)) {
      const api = parseDeprecatedMetric(line);
      if (api) (v.requestedDeprecated ??= []).push(api);
      continue;
    }
    const [name, version = ''] = line.trim().split(/\s+/);
    // a package's 1.36.1-1.1 is Kubernetes 1.36.1
    const plain = version.replace(/-.*$/, '');
    if (name === 'kubeadm' || name === 'kubelet' || name === 'kubectl') v[name] = plain;
    else if (name === 'kube-apiserver') v.controlPlane = plain;
    else if (name === 'drained') v.drained = true;
    else if (name === 'metrics-unread') v.metricsUnread = true;
  }
  return v;
}

/** One sample of the gauge, `NAME{group="..",removed_release="..",...} 1`; a 0 is not a request. */
function parseDeprecatedMetric(line: string): DeprecatedApi | undefined {
  const close = line.lastIndexOf('}');
  if (Number(line.slice(close + 1).trim()) !== 1) return undefined;
  const labels = Object.fromEntries(
    [...line.slice(0, close).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
  );
  return {
    group: labels.group ?? '',
    version: labels.version ?? '',
    resource: labels.resource ?? '',
    removedRelease: labels.removed_release ?? '',
  };
}

/**
 * APIs the target release no longer serves that clients still ask for, per control-plane node
 * (the gauge is each API server's own, counted since it started): what upgrading now would break.
 */
export function removedApiUse(
  target: string,
  nodes: Array<{ name: string; controlPlane: boolean; versions: NodeVersions }>,
): { inUse: string[]; unread: string[] } {
  const minor = semver(target)[1];
  const inUse: string[] = [];
  for (const n of nodes.filter((x) => x.controlPlane)) {
    const gone = (n.versions.requestedDeprecated ?? []).filter(
      (a) => a.removedRelease && semver(a.removedRelease)[1] <= minor,
    );
    if (gone.length)
      inUse.push(
        `${n.name}'s API server was asked for APIs that ${target} no longer serves: ${gone
          .map(
            (a) =>
              `${a.group ? `${a.group}/` : ''}${a.version} ${a.resource} (removed in ${a.removedRelease})`,
          )
          .join(', ')}`,
      );
  }
  const unread = nodes.filter((n) => n.controlPlane && n.versions.metricsUnread).map((n) => n.name);
  return { inUse, unread };
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
